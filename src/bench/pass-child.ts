import { pino } from 'pino';
import { runPass } from '../cli/pass.js';
import { openRuntime } from '../cli/runtime.js';

/**
 * One pass in its own process, so the benchmark measures the worker's wall time and peak RSS without the farm's
 * memory. Prints one JSON line.
 */
const configFile = process.argv[2];
const log = pino({ level: process.env.LOG_LEVEL ?? 'warn' }, pino.destination({ fd: 2, sync: true }));
const runtime = await openRuntime(configFile, log);
const started = performance.now();
const summary = await runPass(runtime.passDeps);
const wallMs = performance.now() - started;
await runtime.close();
process.stdout.write(`${JSON.stringify({ wallMs, peakRssMb: process.resourceUsage().maxRSS / 1024, summary })}\n`);
