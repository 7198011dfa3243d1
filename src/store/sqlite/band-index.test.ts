import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BandIndex, bandHash } from './band-index.js';

const entry = (itemId: string, publishedAt = 1000) => ({ itemId, clusterId: `c-${itemId}`, sourceId: 's', publishedAt, signature: `sig-${itemId}` });
const ids = (found: { itemId: string; bandKey: string }[]) => found.map((f) => `${f.itemId}@${f.bandKey}`).sort();

describe('BandIndex', () => {
  it('finds items sharing a band key within the time range, once per shared key', () => {
    const index = new BandIndex(0);
    index.add(entry('a', 1000), ['k1', 'k2', 'k1']);
    index.add(entry('b', 5000), ['k2', 'k3']);
    expect(ids(index.find(['k2', 'k9'], 0, 10_000))).toEqual(['a@k2', 'b@k2']);
    expect(ids(index.find(['k2'], 2000, 10_000))).toEqual(['b@k2']);
    expect(ids(index.find(['k1', 'k1'], 0, 10_000))).toEqual(['a@k1']);
    expect(index.size).toBe(2);
  });

  it('replaces an item re-added and forgets a removed one', () => {
    const index = new BandIndex(0);
    index.add(entry('a'), ['k1']);
    index.add(entry('a'), ['k2']);
    expect(index.find(['k1'], 0, 10_000)).toEqual([]);
    expect(ids(index.find(['k2'], 0, 10_000))).toEqual(['a@k2']);
    index.remove('a');
    index.remove('a');
    expect(index.find(['k2'], 0, 10_000)).toEqual([]);
    expect(index.size).toBe(0);
  });

  it('agrees with a plain map through growth, removals and re-adds', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.oneof(
            fc.record({ op: fc.constant('add' as const), id: fc.integer({ min: 0, max: 60 }), keys: fc.array(fc.integer({ min: 0, max: 400 }), { maxLength: 8 }) }),
            fc.record({ op: fc.constant('remove' as const), id: fc.integer({ min: 0, max: 60 }) }),
          ),
          { maxLength: 300 },
        ),
        (ops) => {
          const index = new BandIndex(0, 8);
          const model = new Map<string, Set<string>>();
          for (const o of ops) {
            const id = `i${o.id}`;
            if (o.op === 'add') {
              const keys = o.keys.map((k) => `band-${k}`);
              index.add(entry(id), keys);
              model.set(id, new Set(keys));
            } else {
              index.remove(id);
              model.delete(id);
            }
          }
          const query = Array.from({ length: 401 }, (_, k) => `band-${k}`);
          const expected = [...model].flatMap(([id, keys]) => [...keys].map((k) => `${id}@${k}`)).sort();
          expect(ids(index.find(query, 0, 10_000))).toEqual(expected);
        },
      ),
      { numRuns: 60 },
    );
  });

  it('hashes band keys to distinct integers below 2^53', () => {
    const seen = new Set<number>();
    for (let b = 0; b < 32; b++) for (let i = 0; i < 2000; i++) seen.add(bandHash(`m${b}.${i.toString(36)}`));
    expect(seen.size).toBe(64_000);
    for (const h of seen) expect(Number.isSafeInteger(h) && h >= 0).toBe(true);
  });
});
