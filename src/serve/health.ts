/** `ok`: the last pass succeeded recently. `stale`: it finished too long ago. `failing`: it failed (store or publish). */
export type HealthStatus = 'ok' | 'stale' | 'failing' | 'never-run';

/** The body of `/healthz`. Times are UTC milliseconds. */
export interface HealthReport {
  readonly status: HealthStatus;
  readonly lastPassAt?: number;
  readonly lastPassDurationMs?: number;
  readonly lastPassStatus?: 'ok' | 'failed';
  readonly lastPassError?: string;
  readonly sourcesOk: number;
  readonly sourcesFailing: number;
  /** A pass older than this makes the report stale (twice the schedule interval). */
  readonly staleAfterMs: number;
  readonly checkedAt: number;
}

/** What `assessHealth` needs; the CLI reads it from the store (`lastPass`, `sourceStates`). */
export interface HealthInput {
  readonly now: number;
  readonly staleAfterMs: number;
  /** When this process started: a worker that has not finished its first pass is healthy for `staleAfterMs`. */
  readonly since?: number;
  readonly lastPass?: {
    readonly startedAt: number;
    readonly finishedAt: number;
    readonly status: 'ok' | 'failed';
    readonly error?: string;
  };
  readonly sourcesOk: number;
  readonly sourcesFailing: number;
}

/** Healthy while the last pass succeeded and finished within `staleAfterMs` of `now`. */
export function assessHealth(input: HealthInput): { healthy: boolean; report: HealthReport } {
  const { now, staleAfterMs, since, lastPass, sourcesOk, sourcesFailing } = input;
  const base = { sourcesOk, sourcesFailing, staleAfterMs, checkedAt: now };
  if (lastPass === undefined) {
    const healthy = since !== undefined && now - since <= staleAfterMs;
    return { healthy, report: { status: 'never-run', ...base } };
  }
  const status: HealthStatus =
    lastPass.status === 'failed' ? 'failing' : now - lastPass.finishedAt > staleAfterMs ? 'stale' : 'ok';
  const report: HealthReport = {
    status,
    lastPassAt: lastPass.finishedAt,
    lastPassDurationMs: lastPass.finishedAt - lastPass.startedAt,
    lastPassStatus: lastPass.status,
    ...(lastPass.error !== undefined ? { lastPassError: lastPass.error } : {}),
    ...base,
  };
  return { healthy: status === 'ok', report };
}
