import { describe, expect, it } from 'vitest';
import { hash64 } from './hash64.js';
import { BANDS, ROWS, minHashes } from './sketch.js';

const out = new Uint32Array(2);
function h(text: string): [number, number] {
  hash64(text, out);
  return [out[0] as number, out[1] as number];
}
function popcount(x: number): number {
  let n = 0;
  for (let v = x >>> 0; v; v &= v - 1) n++;
  return n;
}

describe('hash64', () => {
  it('is deterministic and depends on the seed', () => {
    expect(h('kabul')).toEqual(h('kabul'));
    const seeded = new Uint32Array(2);
    hash64('kabul', seeded, 7);
    expect([...seeded]).not.toEqual(h('kabul'));
  });

  it('changes about half of the 64 bits for a one-character change (avalanche), each bit about half the time', () => {
    const flips = new Array<number>(64).fill(0);
    let total = 0;
    const trials = 20_000;
    for (let i = 0; i < trials; i++) {
      const word = `word${i}`;
      const [lo, hi] = h(word);
      const pos = i % word.length;
      const changed = word.slice(0, pos) + String.fromCharCode(word.charCodeAt(pos) ^ (1 << (i % 7))) + word.slice(pos + 1);
      const [lo2, hi2] = h(changed);
      const dlo = (lo ^ lo2) >>> 0;
      const dhi = (hi ^ hi2) >>> 0;
      total += popcount(dlo) + popcount(dhi);
      for (let b = 0; b < 32; b++) {
        if ((dlo >>> b) & 1) flips[b]!++;
        if ((dhi >>> b) & 1) flips[32 + b]!++;
      }
    }
    expect(total / trials).toBeGreaterThan(31);
    expect(total / trials).toBeLessThan(33);
    for (const f of flips) expect(Math.abs(f / trials - 0.5)).toBeLessThan(0.03);
  });

  it('spreads keys evenly over buckets (chi-square over 256 buckets of each half)', () => {
    const n = 256 * 400;
    for (const half of [0, 1]) {
      const buckets = new Array<number>(256).fill(0);
      for (let i = 0; i < n; i++) buckets[h(`token-${i}`)[half]! >>> 24]!++;
      const expected = n / 256;
      const chi = buckets.reduce((sum, c) => sum + (c - expected) ** 2 / expected, 0);
      // 255 degrees of freedom: the 99.9th percentile is about 330.
      expect(chi).toBeLessThan(330);
    }
  });

  it('has no collision among 300,000 distinct short strings', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 300_000; i++) {
      const [lo, hi] = h(i.toString(36));
      seen.add(`${lo}:${hi}`);
    }
    expect(seen.size).toBe(300_000);
  });
});

describe('MinHash', () => {
  it('estimates Jaccard similarity without bias', () => {
    const perms = BANDS * ROWS;
    for (const target of [0.2, 0.4, 0.7]) {
      let estimateSum = 0;
      const runs = 60;
      for (let run = 0; run < runs; run++) {
        // Two sets of 60 words sharing `shared` of them: J = shared / (120 - shared).
        const shared = Math.round((120 * target) / (1 + target));
        const common = Array.from({ length: shared }, (_, i) => `c${run}-${i}`);
        const a = [...common, ...Array.from({ length: 60 - shared }, (_, i) => `a${run}-${i}`)];
        const b = [...common, ...Array.from({ length: 60 - shared }, (_, i) => `b${run}-${i}`)];
        const ma = minHashes(a);
        const mb = minHashes(b);
        let equal = 0;
        for (let i = 0; i < perms; i++) if (ma[i] === mb[i]) equal++;
        estimateSum += equal / perms;
      }
      const exact = Math.round((120 * target) / (1 + target)) / (120 - Math.round((120 * target) / (1 + target)));
      expect(Math.abs(estimateSum / runs - exact)).toBeLessThan(0.03);
    }
  });
});
