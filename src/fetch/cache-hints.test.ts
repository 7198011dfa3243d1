import { describe, expect, it } from 'vitest';
import { parseMaxAge, parseRetryAfter } from './cache-hints.js';

const now = Date.UTC(2026, 10, 24, 12, 0, 0);

describe('parseRetryAfter', () => {
  it.each([
    { name: 'delta-seconds', value: '120', ms: 120_000 },
    { name: 'zero seconds', value: '0', ms: 0 },
    { name: 'an HTTP date in the future', value: 'Tue, 24 Nov 2026 12:30:00 GMT', ms: 30 * 60_000 },
    { name: 'an HTTP date in the past is 0', value: 'Tue, 24 Nov 2026 11:00:00 GMT', ms: 0 },
    { name: 'the first of repeated headers', value: ['60', '3600'], ms: 60_000 },
    { name: 'garbage is no hint', value: 'soon', ms: undefined },
    { name: 'a negative number is no hint', value: '-5', ms: undefined },
    { name: 'absent is no hint', value: undefined, ms: undefined },
  ])('$name', ({ value, ms }) => {
    expect(parseRetryAfter(value, now)).toBe(ms);
  });
});

describe('parseMaxAge', () => {
  it.each([
    { name: 'max-age alone', value: 'max-age=300', ms: 300_000 },
    { name: 'max-age among other directives', value: 'public, max-age=900, must-revalidate', ms: 900_000 },
    { name: 'a quoted value', value: 'max-age="60"', ms: 60_000 },
    { name: 'repeated headers joined', value: ['public', 'max-age=30'], ms: 30_000 },
    { name: 's-maxage is not max-age', value: 's-maxage=600', ms: undefined },
    { name: 'no-cache gives no hint', value: 'no-cache', ms: undefined },
    { name: 'absent gives no hint', value: undefined, ms: undefined },
  ])('$name', ({ value, ms }) => {
    expect(parseMaxAge(value)).toBe(ms);
  });
});
