import { describe, expect, it } from 'vitest';
import { planNextCheck } from './index.js';
import type { PlanNextCheckInput } from './index.js';

const MIN = 60_000;
const HOUR = 60 * MIN;
const now = Date.UTC(2026, 10, 24, 12);
const base = { now, minIntervalMs: 10 * MIN, maxBackoffMs: 24 * HOUR, consecutiveFailures: 0 } as const;

describe('planNextCheck', () => {
  it.each<{ name: string; input: Partial<PlanNextCheckInput>; waitMs: number }>([
    { name: 'a success waits minInterval', input: { outcome: 'ok' }, waitMs: 10 * MIN },
    { name: 'a 304 waits minInterval', input: { outcome: 'not-modified' }, waitMs: 10 * MIN },
    { name: 'a longer <ttl> lengthens the wait', input: { outcome: 'ok', ttlMinutes: 60 }, waitMs: 60 * MIN },
    { name: 'a shorter <ttl> does not shorten it', input: { outcome: 'ok', ttlMinutes: 1 }, waitMs: 10 * MIN },
    { name: 'a longer max-age lengthens the wait', input: { outcome: 'not-modified', maxAgeMs: 2 * HOUR }, waitMs: 2 * HOUR },
    { name: 'the larger of ttl and max-age wins', input: { outcome: 'ok', ttlMinutes: 30, maxAgeMs: HOUR }, waitMs: HOUR },
    { name: 'a week-long ttl is capped at 24 h', input: { outcome: 'ok', ttlMinutes: 7 * 24 * 60 }, waitMs: 24 * HOUR },
    { name: 'a year-long max-age is capped at 24 h', input: { outcome: 'ok', maxAgeMs: 365 * 24 * HOUR }, waitMs: 24 * HOUR },
    { name: 'a first failure waits minInterval', input: { outcome: 'failed', consecutiveFailures: 1 }, waitMs: 10 * MIN },
    { name: 'a second failure waits twice that', input: { outcome: 'failed', consecutiveFailures: 2 }, waitMs: 20 * MIN },
    { name: 'a fifth failure waits 16 times that', input: { outcome: 'failed', consecutiveFailures: 5 }, waitMs: 160 * MIN },
    { name: 'backoff is capped at maxBackoff', input: { outcome: 'failed', consecutiveFailures: 12 }, waitMs: 24 * HOUR },
    { name: 'backoff stays capped after a thousand failures', input: { outcome: 'failed', consecutiveFailures: 1000 }, waitMs: 24 * HOUR },
    { name: 'Retry-After longer than the backoff wins', input: { outcome: 'failed', consecutiveFailures: 1, retryAfterMs: 2 * HOUR }, waitMs: 2 * HOUR },
    { name: 'Retry-After shorter than the backoff does not shorten it', input: { outcome: 'failed', consecutiveFailures: 3, retryAfterMs: MIN }, waitMs: 40 * MIN },
    { name: 'Retry-After beyond maxBackoff is capped, so polling never stops', input: { outcome: 'failed', consecutiveFailures: 1, retryAfterMs: 30 * 24 * HOUR }, waitMs: 24 * HOUR },
    { name: 'backoff grows from 1 minute when minInterval is 0', input: { outcome: 'failed', consecutiveFailures: 3, minIntervalMs: 0 }, waitMs: 4 * MIN },
    { name: 'a gone source waits maxBackoff', input: { outcome: 'gone', consecutiveFailures: 1 }, waitMs: 24 * HOUR },
  ])('$name', ({ input, waitMs }) => {
    expect(planNextCheck({ ...base, outcome: 'ok', ...input }) - now).toBe(waitMs);
  });
});
