import type { Logger } from '../core/index.js';

type Step = readonly [name: string, run: () => Promise<unknown>];

/**
 * Runs cleanup steps in order on the first SIGTERM/SIGINT, each on its own (a failing step is reported and the next
 * still runs); a second signal exits at once. Calling `stop()` again returns the same promise.
 */
export function createShutdown(log: Logger, steps: readonly Step[]): { stop(): Promise<void>; onSignals(): Promise<number> } {
  let stopping: Promise<void> | undefined;
  const stop = (): Promise<void> => {
    stopping ??= (async () => {
      for (const [name, run] of steps) {
        try {
          await run();
        } catch (err) {
          log.error({ err, step: name }, 'shutdown step failed');
        }
      }
      log.info('stopped');
    })();
    return stopping;
  };
  const onSignals = () =>
    new Promise<number>((resolve) => {
      const handle = (signal: NodeJS.Signals) => {
        if (stopping) {
          log.warn({ signal }, 'second signal: exiting now');
          process.exit(130);
        }
        log.info({ signal }, 'stopping');
        void stop().then(() => resolve(0));
      };
      process.on('SIGTERM', handle);
      process.on('SIGINT', handle);
    });
  return { stop, onSignals };
}
