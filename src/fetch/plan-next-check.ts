const HOUR_MS = 3_600_000;
/** Publisher hints (`<ttl>`, `max-age`) lengthen the wait, but never beyond this: a feed is read at least daily. */
const HINT_CAP_MS = 24 * HOUR_MS;
/** Backoff grows from this even when `minIntervalMs` is 0, or a failing source would be hit on every pass. */
const MIN_BACKOFF_BASE_MS = 60_000;

export interface PlanNextCheckInput {
  readonly now: number;
  readonly outcome: 'ok' | 'not-modified' | 'failed' | 'gone';
  /** Failures in a row including this attempt (0 after a success). */
  readonly consecutiveFailures: number;
  readonly minIntervalMs: number;
  readonly maxBackoffMs: number;
  readonly retryAfterMs?: number;
  readonly maxAgeMs?: number;
  readonly ttlMinutes?: number;
}

/**
 * When a source is next due (UTC ms). After a success: `minInterval`, lengthened by the feed's `<ttl>` and the
 * response's `max-age` (each capped at 24 h). After a failure: `minInterval · 2^(failures-1)` capped at `maxBackoff`,
 * and never sooner than `Retry-After` (also capped at `maxBackoff`, so a server cannot stop us polling). A gone (410)
 * source waits `maxBackoff`: polled rarely, never dropped.
 */
export function planNextCheck(input: PlanNextCheckInput): number {
  const { now, minIntervalMs, maxBackoffMs } = input;
  switch (input.outcome) {
    case 'ok':
    case 'not-modified': {
      const ttlMs = (input.ttlMinutes ?? 0) * 60_000;
      const hint = Math.min(HINT_CAP_MS, Math.max(ttlMs, input.maxAgeMs ?? 0));
      return now + Math.max(minIntervalMs, hint);
    }
    case 'failed': {
      const base = Math.max(minIntervalMs, MIN_BACKOFF_BASE_MS);
      const failures = Math.max(1, input.consecutiveFailures);
      const backoff = Math.min(maxBackoffMs, base * 2 ** (failures - 1));
      const retryAfter = Math.min(maxBackoffMs, input.retryAfterMs ?? 0);
      return now + Math.max(backoff, retryAfter);
    }
    case 'gone':
      return now + maxBackoffMs;
  }
}
