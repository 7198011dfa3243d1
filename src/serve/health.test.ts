import { describe, expect, it } from 'vitest';
import { assessHealth } from './health.js';

const NOW = Date.UTC(2026, 10, 24, 12);
const MIN = 60_000;
const base = { now: NOW, staleAfterMs: 30 * MIN, sourcesOk: 20, sourcesFailing: 2 };

describe('assessHealth', () => {
  it.each([
    { name: 'a recent good pass is ok', input: { lastPass: { startedAt: NOW - 11 * MIN, finishedAt: NOW - 10 * MIN, status: 'ok' as const } }, status: 'ok', healthy: true },
    { name: 'a good pass older than staleAfterMs is stale', input: { lastPass: { startedAt: NOW - 41 * MIN, finishedAt: NOW - 40 * MIN, status: 'ok' as const } }, status: 'stale', healthy: false },
    { name: 'a recent failed pass is failing', input: { lastPass: { startedAt: NOW - 2 * MIN, finishedAt: NOW - MIN, status: 'failed' as const, error: 'publish: disk full' } }, status: 'failing', healthy: false },
    { name: 'no pass yet, worker just started, is healthy', input: { since: NOW - 5 * MIN }, status: 'never-run', healthy: true },
    { name: 'no pass long after the worker started is unhealthy', input: { since: NOW - 31 * MIN }, status: 'never-run', healthy: false },
    { name: 'no pass and no start time (serve alone) is unhealthy', input: {}, status: 'never-run', healthy: false },
  ])('$name', ({ input, status, healthy }) => {
    const result = assessHealth({ ...base, ...input });
    expect(result.healthy).toBe(healthy);
    expect(result.report.status).toBe(status);
    expect(result.report).toMatchObject({ sourcesOk: 20, sourcesFailing: 2, staleAfterMs: 30 * MIN, checkedAt: NOW });
  });

  it('reports the time, duration and error of the last pass', () => {
    const { report } = assessHealth({ ...base, lastPass: { startedAt: NOW - 90_000, finishedAt: NOW - 60_000, status: 'failed', error: 'store: locked' } });
    expect(report).toMatchObject({ lastPassAt: NOW - 60_000, lastPassDurationMs: 30_000, lastPassStatus: 'failed', lastPassError: 'store: locked' });
  });
});
