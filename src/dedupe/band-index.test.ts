import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { NearDuplicateCandidate } from '../core/index.js';
import { BandIndex, bandHash, CROWDED_BAND, MAX_CANDIDATES } from './band-index.js';

const HOUR = 3600_000;
const WINDOW = 72 * HOUR;
const entry = (itemId: string, publishedAt = 0): NearDuplicateCandidate => ({ itemId, clusterId: `c-${itemId}`, sourceId: 's', publishedAt, signature: `sig-${itemId}` });
const ids = (found: readonly NearDuplicateCandidate[]) => found.map((f) => f.itemId);

describe('BandIndex', () => {
  it('offers items sharing a band within the window, each once, oldest first, not the item itself', () => {
    const index = new BandIndex(WINDOW);
    index.add(entry('late', 2 * HOUR), ['a', 'b']);
    index.add(entry('early', -2 * HOUR), ['b']);
    index.add(entry('old', -100 * HOUR), ['a']);
    index.add(entry('other'), ['c']);
    index.add(entry('self'), ['a']);
    expect(index.size).toBe(5);
    expect(ids(index.candidates('self', ['a', 'b', 'a'], 0))).toEqual(['early', 'late']);
  });

  it('replaces an item added again and forgets a removed one', () => {
    const index = new BandIndex(WINDOW);
    index.add(entry('a'), ['k1']);
    index.add(entry('a'), ['k2']);
    expect(index.candidates('q', ['k1'], 0)).toEqual([]);
    expect(ids(index.candidates('q', ['k2'], 0))).toEqual(['a']);
    index.remove('a');
    index.remove('a');
    expect(index.candidates('q', ['k2'], 0)).toEqual([]);
    expect(index.size).toBe(0);
    expect(index.has('a')).toBe(false);
  });

  it('offers a member of a crowded band only when it shares a second band', () => {
    const index = new BandIndex(WINDOW);
    for (let i = 0; i <= CROWDED_BAND; i++) index.add(entry(`crowd-${i}`, i), ['common', `own-${i}`]);
    index.add(entry('twin', 5), ['common', 'rare']);
    index.add(entry('quiet', 6), ['quiet']);
    expect(ids(index.candidates('q', ['common', 'rare', 'quiet'], 0))).toEqual(['twin', 'quiet']);
    // Out of the window, crowd members do not count towards the crowd.
    const sparse = new BandIndex(WINDOW);
    for (let i = 0; i < CROWDED_BAND; i++) sparse.add(entry(`near-${i}`, i), ['common']);
    sparse.add(entry('far', 500 * HOUR), ['common']);
    expect(sparse.candidates('q', ['common'], 0)).toHaveLength(CROWDED_BAND);
  });

  it('offers at most MAX_CANDIDATES, those sharing the most bands, from a flood of near-identical items', () => {
    const index = new BandIndex(WINDOW);
    const bands = Array.from({ length: 24 }, (_, b) => `band-${b}`);
    for (let i = 0; i < 3 * MAX_CANDIDATES; i++) index.add(entry(`copy-${i}`, i), bands.slice(0, 2));
    index.add(entry('closest', 1000), bands);
    const offered = index.candidates('q', bands, 0);
    expect(offered).toHaveLength(MAX_CANDIDATES);
    expect(ids(offered)).toContain('closest');
    expect(ids(offered).slice(0, 3)).toEqual(['copy-0', 'copy-1', 'copy-2']);
  });

  it('agrees with a plain model through growth, removals and re-adds', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.oneof(
            fc.record({
              op: fc.constant('add' as const),
              id: fc.integer({ min: 0, max: 60 }),
              at: fc.integer({ min: -100, max: 100 }),
              keys: fc.array(fc.integer({ min: 0, max: 400 }), { maxLength: 8 }),
            }),
            fc.record({ op: fc.constant('remove' as const), id: fc.integer({ min: 0, max: 60 }) }),
          ),
          { maxLength: 300 },
        ),
        fc.array(fc.integer({ min: 0, max: 400 }), { minLength: 1, maxLength: 10 }),
        (ops, query) => {
          // A tiny table, so that the property run grows and rebuilds it many times.
          const index = new BandIndex(WINDOW, 8);
          const model = new Map<string, { at: number; keys: Set<string> }>();
          for (const o of ops) {
            const id = `i${o.id}`;
            if (o.op === 'add') {
              const keys = o.keys.map((k) => `band-${k}`);
              index.add(entry(id, o.at * HOUR), keys);
              model.set(id, { at: o.at * HOUR, keys: new Set(keys) });
            } else {
              index.remove(id);
              model.delete(id);
            }
          }
          const wanted = new Set(query.map((k) => `band-${k}`));
          const inWindow = [...model].filter(([, m]) => Math.abs(m.at) <= WINDOW);
          const bandSize = (k: string) => inWindow.filter(([, m]) => m.keys.has(k)).length;
          const expected = inWindow
            .filter(([, m]) => {
              const shared = [...m.keys].filter((k) => wanted.has(k));
              return shared.length >= 2 || shared.some((k) => bandSize(k) <= CROWDED_BAND);
            })
            .sort(([a, x], [b, y]) => x.at - y.at || (a < b ? -1 : 1))
            .map(([id]) => id);
          expect(ids(index.candidates('q', [...wanted], 0))).toEqual(expected);
          expect(index.size).toBe(model.size);
        },
      ),
      { numRuns: 80 },
    );
  });

  it('hashes band keys to distinct integers below 2^53', () => {
    const seen = new Set<number>();
    for (let b = 0; b < 32; b++) for (let i = 0; i < 2000; i++) seen.add(bandHash(`m${b}.${i.toString(36)}`));
    expect(seen.size).toBe(64_000);
    for (const h of seen) expect(Number.isSafeInteger(h) && h >= 0).toBe(true);
  });
});
