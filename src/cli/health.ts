import type { Config } from '../config/index.js';
import { assessHealth } from '../serve/index.js';
import type { HealthReport } from '../serve/index.js';
import type { Store } from '../store/index.js';
import { nextScheduledRuns } from './schedule.js';

/** The interval between two scheduled passes, read from the cron expression itself. */
export function scheduleIntervalMs(config: Config): number {
  const [a, b] = nextScheduledRuns(config, 2);
  return a && b ? b.getTime() - a.getTime() : 15 * 60_000;
}

/**
 * `/healthz` for this store: healthy while the last pass succeeded within twice the schedule interval (one slow or
 * missed pass is tolerated, a stuck scheduler or a store that keeps failing is not). `since` is when this process
 * started, so a worker that has not finished its first pass yet is not reported dead.
 */
export function healthCheck(config: Config, store: Store, since?: number): () => Promise<{ healthy: boolean; report: HealthReport }> {
  const staleAfterMs = 2 * scheduleIntervalMs(config);
  return async () => {
    const [lastPass, states] = await Promise.all([store.lastPass(), store.sourceStates()]);
    return assessHealth({
      now: Date.now(),
      staleAfterMs,
      since,
      lastPass,
      sourcesOk: states.filter((s) => s.lastOutcome === 'ok' || s.lastOutcome === 'not-modified').length,
      sourcesFailing: states.filter((s) => s.lastOutcome === 'failed' || s.lastOutcome === 'gone').length,
    });
  };
}
