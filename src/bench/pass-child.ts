import { pino } from 'pino';
import { applyHeapPolicy } from '../cli/heap-policy.js';
import { runPass } from '../cli/pass.js';
import { openRuntime } from '../cli/runtime.js';

/**
 * One pass in its own process, so the benchmark measures the worker's wall time and peak RSS without the farm's
 * memory. Prints one JSON line.
 */
// As `newsmux run` does.
applyHeapPolicy();
const configFile = process.argv[2];
const log = pino({ level: process.env.LOG_LEVEL ?? 'warn' }, pino.destination({ fd: 2, sync: true }));
const runtime = await openRuntime(configFile, log);
const started = performance.now();
const cpuAtStart = process.cpuUsage();
const summary = await runPass(runtime.passDeps);
const wallMs = performance.now() - started;
// Every thread's CPU time: the main thread's and the feed threads'.
const cpu = process.cpuUsage(cpuAtStart);
const cpuMs = (cpu.user + cpu.system) / 1000;
await runtime.close();
process.stdout.write(`${JSON.stringify({ wallMs, cpuMs, peakRssMb: process.resourceUsage().maxRSS / 1024, summary })}\n`);
