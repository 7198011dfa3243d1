import { createTask } from 'node-cron';
import type { Logger } from '../core/index.js';
import { createMetrics, startServer } from '../serve/index.js';
import { healthCheck } from './health.js';
import { runPass } from './pass.js';
import type { PassSummary } from './pass.js';
import type { SourceOutcome } from './refresh-source.js';
import { openRuntime } from './runtime.js';
import { createShutdown } from './shutdown.js';

/**
 * `newsmux start`: a pass on start-up (unless `runOnStart: false`) and on every `schedule` fire, the output served when
 * `server.port` is set, and a graceful stop on SIGTERM/SIGINT. Resolves with the exit code once stopped.
 */
export async function startCommand(options: { config?: string }, log: Logger): Promise<number> {
  const runtime = await openRuntime(options.config, log);
  const { config } = runtime;
  const metrics = createMetrics();
  const abort = new AbortController();
  let current: Promise<PassSummary | undefined> | undefined;

  // node-cron's own noOverlap has had bugs (see issue 5); this guard is what actually keeps passes apart in-process.
  const runGuarded = (trigger: 'start' | 'schedule'): Promise<PassSummary | undefined> => {
    if (current) {
      log.warn({ trigger }, 'previous pass still running; this run is skipped');
      return current;
    }
    const onSourceDone = (outcome: SourceOutcome) => metrics.recordFetch(outcome.kind, 'status' in outcome ? outcome.status : undefined);
    current = runPass({ ...runtime.passDeps, signal: abort.signal, onSourceDone })
      .then((summary) => {
        metrics.recordPass(summary);
        return summary;
      })
      .catch((err: unknown) => {
        metrics.recordFailedPass();
        log.error({ err }, 'pass failed');
        return undefined;
      })
      .finally(() => {
        current = undefined;
      });
    return current;
  };

  const task = createTask(config.schedule, () => runGuarded('schedule'), {
    name: 'newsmux-pass',
    timezone: config.timezone,
    noOverlap: true,
  });
  task.on('execution:overlap', () => log.warn('scheduled pass skipped: the previous one is still running'));
  task.on('execution:missed', (ctx) => log.warn({ missedAt: ctx.date.toISOString() }, 'scheduled pass missed'));

  const server =
    config.server.port === undefined
      ? undefined
      : await startServer({
          root: config.output.dir,
          host: config.server.host,
          port: config.server.port,
          maxAgeSeconds: config.server.maxAgeSeconds,
          health: healthCheck(config, runtime.store, Date.now()),
          metrics,
          log: log.child({ stage: 'serve' }),
        });
  if (server) log.info({ url: server.url }, 'serving output');

  await task.start();
  log.info({ schedule: config.schedule, timezone: config.timezone, nextRun: task.getNextRun()?.toISOString() }, 'scheduler started');
  if (config.runOnStart) void runGuarded('start');

  const shutdown = createShutdown(log, [
    ['scheduler', async () => task.destroy()],
    [
      'current pass',
      async () => {
        abort.abort();
        if (current) await withTimeout(current, config.shutdownGraceMs, () => log.warn({ graceMs: config.shutdownGraceMs }, 'pass did not finish within the grace period'));
      },
    ],
    ['http server', async () => server?.close()],
    ['store and fetcher', () => runtime.close()],
  ]);
  return shutdown.onSignals();
}

async function withTimeout(promise: Promise<unknown>, ms: number, onTimeout: () => void): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<void>((resolve) => {
    timer = setTimeout(() => {
      onTimeout();
      resolve();
    }, ms);
  });
  await Promise.race([promise.then(() => undefined), timeout]);
  clearTimeout(timer);
}
