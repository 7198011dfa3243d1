import { describe, expect, it } from 'vitest';
import { makeBatch, makeItem, signatureMatcher } from '../../../tests/fixtures/store/items.js';
import { ingestLockKeys } from './lock-keys.js';

describe('ingestLockKeys', () => {
  it('covers ids, URLs and title keys, in ascending order without repeats', () => {
    const keys = ingestLockKeys(makeBatch('dawn', [makeItem('dawn', 'a'), makeItem('dawn', 'b', { url: 'https://dawn.example/news/a' })]));
    // 2 ids + 1 shared URL + 2 title keys
    expect(keys).toHaveLength(5);
    const asBig = keys.map(BigInt);
    expect([...asBig].sort((x, y) => (x < y ? -1 : x > y ? 1 : 0))).toEqual(asBig);
  });

  it('adds band keys only under a near-duplicate policy', () => {
    const items = [makeItem('dawn', 'a', { bands: ['k1', 'k2', 'k1'] })];
    expect(ingestLockKeys(makeBatch('dawn', items))).toHaveLength(3);
    expect(ingestLockKeys(makeBatch('dawn', items, { nearDuplicates: signatureMatcher() }))).toHaveLength(5);
  });

  it('gives two sources that share a URL or band a common key', () => {
    const matcher = signatureMatcher();
    const a = ingestLockKeys(makeBatch('dawn', [makeItem('dawn', 'a', { url: 'https://x.example/1', bands: ['z'] })], { nearDuplicates: matcher }));
    const b = ingestLockKeys(makeBatch('tolo', [makeItem('tolo', 'q', { url: 'https://x.example/2', bands: ['z'] })], { nearDuplicates: matcher }));
    expect(a.filter((k) => b.includes(k))).toHaveLength(1);
  });
});
