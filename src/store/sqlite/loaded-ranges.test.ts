import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LoadedRanges } from './loaded-ranges.js';

describe('LoadedRanges', () => {
  it('gives the gaps of a range', () => {
    const r = new LoadedRanges();
    expect(r.missing(0, 10)).toEqual([[0, 10]]);
    r.add(2, 4);
    r.add(6, 8);
    expect(r.missing(0, 10)).toEqual([[0, 2], [4, 6], [8, 10]]);
    expect(r.missing(3, 7)).toEqual([[4, 6]]);
    expect(r.missing(2, 4)).toEqual([]);
    r.add(4, 6);
    expect(r.missing(0, 10)).toEqual([[0, 2], [8, 10]]);
    r.add(-Infinity, Number.MAX_SAFE_INTEGER);
    expect(r.missing(0, 10)).toEqual([]);
  });

  it('agrees with a set of loaded points (random ranges)', () => {
    const range = fc.tuple(fc.integer({ min: 0, max: 60 }), fc.integer({ min: 0, max: 20 })).map(([a, n]) => [a, a + n] as const);
    fc.assert(
      fc.property(fc.array(range, { maxLength: 8 }), range, (added, [from, to]) => {
        const r = new LoadedRanges();
        const points = new Set<number>();
        for (const [a, b] of added) {
          r.add(a, b);
          for (let p = a; p < b; p++) points.add(p);
        }
        const gaps = r.missing(from, to);
        const inGaps = new Set<number>();
        for (const [a, b] of gaps) {
          expect(a).toBeLessThan(b);
          for (let p = a; p < b; p++) inGaps.add(p);
        }
        for (let p = from; p < to; p++) expect(inGaps.has(p)).toBe(!points.has(p));
        for (const p of inGaps) expect(p >= from && p < to).toBe(true);
      }),
    );
  });
});
