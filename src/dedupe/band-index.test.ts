import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { NearDuplicateCandidate } from '../core/index.js';
import { BandIndex, bandHash, CROWDED_BAND, BAND_WALK, MAX_CANDIDATES } from './band-index.js';

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

  it('walks only the newest BAND_WALK items of a band', () => {
    const index = new BandIndex(WINDOW);
    index.add(entry('old-twin', 0), ['common', 'usual']);
    for (let i = 0; i < BAND_WALK; i++) {
      index.add(entry(`crowd-a-${i}`, 1), ['common', `own-a-${i}`]);
      index.add(entry(`crowd-b-${i}`, 1), ['usual', `own-b-${i}`]);
    }
    index.add(entry('new-twin', 2), ['common', 'usual']);
    // Both twins share the two crowded bands with the query, but old-twin sits behind BAND_WALK newer items in each.
    expect(ids(index.candidates('q', ['common', 'usual'], 0))).toEqual(['new-twin']);
    // A quiet band it shares still finds it.
    index.add(entry('old-twin', 0), ['common', 'usual', 'rare']);
    expect(ids(index.candidates('q', ['rare'], 0))).toEqual(['old-twin']);
  });

  it('offers at most MAX_CANDIDATES, those sharing the most bands, from a flood of near-identical items', () => {
    const index = new BandIndex(WINDOW);
    const bands = Array.from({ length: 24 }, (_, b) => `band-${b}`);
    for (let i = 0; i < 3 * MAX_CANDIDATES; i++) index.add(entry(`copy-${i}`, i), bands.slice(0, 2));
    index.add(entry('closest', 1000), bands);
    const offered = index.candidates('q', bands, 0);
    expect(offered).toHaveLength(MAX_CANDIDATES);
    expect(ids(offered)).toContain('closest');
    // Ties go to the oldest of the items walked: the band's newest BAND_WALK, 'closest' the newest of them.
    const firstWalked = 3 * MAX_CANDIDATES - (BAND_WALK - 1);
    expect(ids(offered).slice(0, 3)).toEqual([0, 1, 2].map((i) => `copy-${firstWalked + i}`));
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
          const model = new Map<string, { at: number; keys: Set<string>; added: number }>();
          let added = 0;
          for (const o of ops) {
            const id = `i${o.id}`;
            if (o.op === 'add') {
              const keys = o.keys.map((k) => `band-${k}`);
              index.add(entry(id, o.at * HOUR), keys);
              model.set(id, { at: o.at * HOUR, keys: new Set(keys), added: added++ });
            } else {
              index.remove(id);
              model.delete(id);
            }
          }
          const wanted = new Set(query.map((k) => `band-${k}`));
          const inWindow = [...model].filter(([, m]) => Math.abs(m.at) <= WINDOW);
          const bandSize = (k: string) => inWindow.filter(([, m]) => m.keys.has(k)).length;
          // A band counts for its newest BAND_WALK members only; one with more is crowded.
          const members = (k: string) => [...model.values()].filter((m) => m.keys.has(k)).sort((x, y) => y.added - x.added);
          const walked = (k: string, m: { added: number }) => members(k).slice(0, BAND_WALK).some((n) => n.added === m.added);
          const expected = inWindow
            .filter(([, m]) => {
              const shared = [...m.keys].filter((k) => wanted.has(k) && walked(k, m));
              return shared.length >= 2 || shared.some((k) => bandSize(k) <= CROWDED_BAND && members(k).length <= BAND_WALK);
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
