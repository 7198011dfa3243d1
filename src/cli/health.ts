import { createTask } from 'node-cron';
import type { Config } from '../config/index.js';
import type { Store } from '../store/index.js';

export interface HealthCheck {
  readonly healthy: boolean;
  readonly report: {
    readonly status: 'ok' | 'stale' | 'failing' | 'never-run';
    readonly lastPassAt?: string;
    readonly lastPassStatus?: string;
    readonly lastPassDurationMs?: number;
    readonly sourcesOk: number;
    readonly sourcesFailing: number;
    readonly staleAfterMs: number;
  };
}

/** The interval between two scheduled passes, from the cron expression itself. */
export function scheduleIntervalMs(config: Config): number {
  const task = createTask(config.schedule, () => undefined, { timezone: config.timezone, name: 'interval' });
  const [a, b] = task.getNextRuns(2);
  void task.destroy();
  return a && b ? b.getTime() - a.getTime() : 15 * 60_000;
}

/**
 * Healthy while the last successful pass finished within twice the schedule interval: one missed or slow pass is
 * tolerated, a stuck scheduler or a store that keeps failing is not.
 */
export function healthCheck(config: Config, store: Store, clock: () => number = Date.now): () => Promise<HealthCheck> {
  const staleAfterMs = 2 * scheduleIntervalMs(config);
  return async () => {
    const [last, states] = await Promise.all([store.lastPass(), store.sourceStates()]);
    const sourcesFailing = states.filter((s) => s.lastOutcome === 'failed' || s.lastOutcome === 'gone').length;
    const sourcesOk = states.filter((s) => s.lastOutcome === 'ok' || s.lastOutcome === 'not-modified').length;
    const base = { sourcesOk, sourcesFailing, staleAfterMs };
    if (!last) return { healthy: false, report: { status: 'never-run', ...base } };
    const fresh = clock() - last.finishedAt <= staleAfterMs;
    const status = last.status === 'failed' ? 'failing' : fresh ? 'ok' : 'stale';
    return {
      healthy: fresh && last.status === 'ok',
      report: {
        status,
        lastPassAt: new Date(last.finishedAt).toISOString(),
        lastPassStatus: last.status,
        lastPassDurationMs: last.finishedAt - last.startedAt,
        ...base,
      },
    };
  };
}
