import { describe, expect, it } from 'vitest';
import { parseFeedDate } from './index.js';

const iso = (s: string): number => Date.parse(s);

describe('parseFeedDate', () => {
  const cases: { raw: string; want: string | undefined }[] = [
    // RFC 822 / 1123 as RSS writes it
    { raw: 'Sun, 15 Jun 2025 09:30:00 +0500', want: '2025-06-15T04:30:00Z' },
    { raw: 'Sun, 15 Jun 2025 09:30:00 GMT', want: '2025-06-15T09:30:00Z' },
    { raw: 'Sun, 15 Jun 2025 09:30:00 EST', want: '2025-06-15T14:30:00Z' },
    { raw: 'Sun, 15 Jun 2025 09:30:00 PKT', want: '2025-06-15T04:30:00Z' },
    { raw: 'Sun, 15 Jun 2025 09:30:00 IST', want: '2025-06-15T04:00:00Z' },
    { raw: 'Sun, 15 Jun 2025 09:30:00 NPT', want: '2025-06-15T03:45:00Z' },
    { raw: 'Sun, 15 Jun 2025 09:30:00 +05:30', want: '2025-06-15T04:00:00Z' },
    { raw: '15 Jun 2025 09:30 +0430', want: '2025-06-15T05:00:00Z' },
    { raw: 'Mon, 15 Jun 25 09:30:00 +0000', want: '2025-06-15T09:30:00Z' },
    { raw: 'sun, 15 june 2025 09:30:00 gmt', want: '2025-06-15T09:30:00Z' },
    { raw: 'Sun, 15 Jun 2025 09:30:00', want: '2025-06-15T09:30:00Z' },
    { raw: 'Sun,15 Jun 2025 09:30:00 +0000', want: '2025-06-15T09:30:00Z' },
    { raw: 'Sun, 15 Jun 2025 09:30:00 +0000 (UTC)', want: '2025-06-15T09:30:00Z' },
    // ISO 8601 / RFC 3339
    { raw: '2025-06-15T09:30:00Z', want: '2025-06-15T09:30:00Z' },
    { raw: '2025-06-15T09:30:00.250+05:00', want: '2025-06-15T04:30:00.250Z' },
    { raw: '2025-06-15T09:30+05:00', want: '2025-06-15T04:30:00Z' },
    { raw: '2025-06-15 09:30:00', want: '2025-06-15T09:30:00Z' },
    { raw: '2025-06-15 09:30:00 +0500', want: '2025-06-15T04:30:00Z' },
    { raw: '20250615T093000Z', want: '2025-06-15T09:30:00Z' },
    { raw: '2025-06-15', want: '2025-06-15T00:00:00Z' },
    { raw: '2025-06', want: '2025-06-01T00:00:00Z' },
    { raw: '2025', want: '2025-01-01T00:00:00Z' },
    // Numeric and free-form broken forms
    { raw: '10-04-2020', want: '2020-04-10T00:00:00Z' },
    { raw: '10/04/2020', want: '2020-04-10T00:00:00Z' },
    { raw: '10.04.2020 14:30', want: '2020-04-10T14:30:00Z' },
    { raw: '04/23/2020', want: '2020-04-23T00:00:00Z' },
    { raw: '14/06/2025 18:30 +0530', want: '2025-06-14T13:00:00Z' },
    { raw: '2020/04/10', want: '2020-04-10T00:00:00Z' },
    { raw: '2020-4-10', want: '2020-04-10T00:00:00Z' },
    { raw: 'June 13, 2025 4:05 PM', want: '2025-06-13T16:05:00Z' },
    { raw: 'June 13, 2025 12:05 am', want: '2025-06-13T00:05:00Z' },
    { raw: 'Friday, 13th June 2025', want: '2025-06-13T00:00:00Z' },
    { raw: '13-Jun-2025 08:00', want: '2025-06-13T08:00:00Z' },
    { raw: 'Fri Jun 13 08:00:00 +0000 2025', want: '2025-06-13T08:00:00Z' },
    { raw: '2025-06-15T09:30:00 GMT+0530', want: '2025-06-15T04:00:00Z' },
    // Not dates
    { raw: '', want: undefined },
    { raw: 'yesterday afternoon', want: undefined },
    { raw: 'last Tuesday', want: undefined },
    { raw: '31 Feb 2025 10:00:00 GMT', want: undefined },
    { raw: '2025-13-01', want: undefined },
    { raw: '32/01/2025', want: undefined },
    { raw: 'Sun, 15 Jun 2025 25:30:00 GMT', want: undefined },
    { raw: '1234567890', want: undefined },
    { raw: `\n${' '.repeat(900)}Sun, 15 Jun 2025 09:30:00 GMT\n`, want: '2025-06-15T09:30:00Z' },
    { raw: `Sun, 15 Jun 2025 09:30:00 GMT${' 1'.repeat(1_000)}`, want: undefined },
  ];

  it.each(cases)('"$raw"', ({ raw, want }) => {
    expect(parseFeedDate(raw)).toBe(want === undefined ? undefined : iso(want));
  });

  it('does not depend on the machine time zone', () => {
    const before = process.env.TZ;
    try {
      process.env.TZ = 'Asia/Karachi';
      expect(parseFeedDate('2025-06-15 09:30:00')).toBe(iso('2025-06-15T09:30:00Z'));
    } finally {
      process.env.TZ = before;
    }
  });
});
