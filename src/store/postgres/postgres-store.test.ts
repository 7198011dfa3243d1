import { afterAll, describe, expect, it } from 'vitest';
import { StoreError } from '../../core/index.js';
import type { TaggedItem } from '../../core/index.js';
import { postgresBackend, postgresReachable, silentLog } from '../../../tests/fixtures/store/backends.js';
import { DAY, HOUR, makeBatch, makeItem, signatureMatcher, SOURCES, T0 } from '../../../tests/fixtures/store/items.js';
import { openStore } from '../index.js';
import type { IngestResult, Store } from '../index.js';
import { PostgresStore } from './postgres-store.js';

// The contract suite reports an unreachable PostgreSQL (and fails under CI); these cases need a server to mean anything.
const reachable = await postgresReachable();

describe.runIf(reachable || process.env.CI)('PostgresStore with several workers', () => {
  const backend = postgresBackend();
  afterAll(async () => {
    await backend.cleanup();
  });

  /** Opens `n` stores on one fresh schema: one per worker, each with its own pool. */
  async function workers(n: number): Promise<{ spec: string; stores: Store[] }> {
    const spec = backend.freshSpec();
    const stores: Store[] = [];
    for (let i = 0; i < n; i++) stores.push(await backend.open(spec));
    await stores[0]!.syncSources(SOURCES, T0);
    return { spec, stores };
  }
  const closeAll = (stores: Store[]) => Promise.all(stores.map((s) => s.close()));
  const sum = (results: IngestResult[], key: 'new' | 'duplicates' | 'merged' | 'clustersFormed') =>
    results.reduce((n, r) => n + r[key], 0);

  it('migrates once when several workers start at the same moment', async () => {
    const spec = backend.freshSpec();
    const stores = await Promise.all([1, 2, 3, 4].map(() => PostgresStore.open(spec, silentLog)));
    try {
      expect(await Promise.all(stores.map((s) => s.schemaVersion()))).toEqual([3, 3, 3, 3]);
    } finally {
      await closeAll(stores);
    }
  });

  it('stores one story when two workers ingest copies with the same URL at the same moment', async () => {
    const { stores } = await workers(2);
    try {
      for (let round = 0; round < 5; round++) {
        const urls = Array.from({ length: 20 }, (_, i) => `https://shared.example/r${round}/story-${i}`);
        const dawn = urls.map((url, i) => makeItem('dawn', `r${round}-${i}`, { url, titleKey: undefined }));
        const tolo = urls.map((url, i) => makeItem('tolo', `r${round}-${i}`, { url, titleKey: undefined })).reverse();
        const results = await Promise.all([
          stores[0]!.ingest(makeBatch('dawn', dawn)),
          stores[1]!.ingest(makeBatch('tolo', tolo)),
        ]);
        expect(sum(results, 'new')).toBe(20);
        expect(sum(results, 'duplicates')).toBe(20);
      }
      const stories = await stores[0]!.sectionItems({ countries: [], topics: [] }, 500);
      expect(stories).toHaveLength(100);
      for (const story of stories) expect(story.alsoReportedBy).toHaveLength(1);
    } finally {
      await closeAll(stores);
    }
  });

  it('merges near-duplicate copies that two workers ingest at the same moment', async () => {
    const { stores } = await workers(3);
    try {
      const matcher = signatureMatcher(DAY);
      for (let round = 0; round < 5; round++) {
        const copies = (sourceId: string): TaggedItem[] =>
          Array.from({ length: 20 }, (_, i) =>
            makeItem(sourceId, `r${round}-${i}`, { titleKey: undefined, bands: [`r${round}-band-${i}-a`, `r${round}-band-${i}-b`] }),
          );
        const results = await Promise.all(
          ['dawn', 'tolo', 'wire'].map((sourceId, w) => stores[w]!.ingest(makeBatch(sourceId, copies(sourceId), { nearDuplicates: matcher }))),
        );
        expect(sum(results, 'new')).toBe(20);
        expect(sum(results, 'merged')).toBe(40);
        expect(sum(results, 'clustersFormed')).toBe(20);
      }
      const stories = await stores[0]!.sectionItems({ countries: [], topics: [] }, 500);
      expect(stories).toHaveLength(100);
      for (const story of stories) expect(story.alsoReportedBy).toHaveLength(2);
      expect((await stores[0]!.sectionStats({ countries: [], topics: [] })).itemCount).toBe(100);
    } finally {
      await closeAll(stores);
    }
  });

  it('keeps every member’s tags and time when workers add to one story at once', async () => {
    const { stores } = await workers(3);
    try {
      const matcher = signatureMatcher(DAY);
      for (const [round, urlJoinerEarlier] of [[0, true], [1, false], [2, true], [3, false]] as const) {
        const roots = Array.from({ length: 30 }, (_, i) => makeItem('dawn', `r${round}-root-${i}`, { countries: ['PK'], bands: [`r${round}-x${i}`] }));
        await stores[0]!.ingest(makeBatch('dawn', roots));
        const [urlAt, bandAt] = urlJoinerEarlier ? [T0 - 2 * HOUR, T0 - HOUR] : [T0 - HOUR, T0 - 2 * HOUR];
        await Promise.all([
          // Joins by URL (locking the URL keys) …
          stores[1]!.ingest(
            makeBatch(
              'tolo',
              roots.map((_, i) =>
                makeItem('tolo', `r${round}-a-${i}`, { url: `https://dawn.example/news/r${round}-root-${i}`, countries: ['AF'], publishedAt: urlAt }),
              ),
            ),
          ),
          // … and by band (locking the band keys): no key in common, so only the story rows keep them apart.
          stores[2]!.ingest(
            makeBatch(
              'wire',
              roots.map((_, i) =>
                makeItem('wire', `r${round}-b-${i}`, { countries: ['IN'], publishedAt: bandAt, sketch: { signature: `sig:r${round}-x${i}`, bandKeys: [`r${round}-x${i}`] } }),
              ),
              { nearDuplicates: matcher },
            ),
          ),
        ]);
      }
      const stories = await stores[0]!.sectionItems({ countries: [], topics: [] }, 500);
      expect(stories).toHaveLength(120);
      for (const story of stories) {
        expect(story.tags.countries).toEqual(['AF', 'IN', 'PK']);
        expect(story.publishedAt).toBe(T0 - 2 * HOUR);
      }
      expect(Object.fromEntries((await stores[0]!.tagCounts()).countries)).toEqual({ AF: 120, IN: 120, PK: 120 });
      expect(await stores[0]!.sectionStats({ countries: ['PK'], topics: [] })).toEqual({ itemCount: 120, updatedAt: T0 - 2 * HOUR });
    } finally {
      await closeAll(stores);
    }
  });

  it('leases each due source to exactly one of several workers', async () => {
    const { stores } = await workers(3);
    try {
      const many = Array.from({ length: 300 }, (_, i) => ({ id: `feed-${i}`, url: `https://farm.example/${i}.xml`, name: `Feed ${i}`, priority: 0 }));
      await stores[0]!.syncSources(many, T0);
      const claimed = await Promise.all(
        stores.map(async (store, w) => {
          const mine: string[] = [];
          for (;;) {
            const batch = await store.claimDueSources({ now: T0, workerId: `w${w}`, leaseMs: 60_000, limit: 7 });
            if (batch.length === 0) return mine;
            mine.push(...batch.map((s) => s.sourceId));
          }
        }),
      );
      const all = claimed.flat();
      expect(all).toHaveLength(300);
      expect(new Set(all).size).toBe(300);
    } finally {
      await closeAll(stores);
    }
  });

  it('lets prune and ingest run side by side without losing either', async () => {
    const { stores } = await workers(2);
    try {
      await stores[0]!.ingest(makeBatch('dawn', Array.from({ length: 30 }, (_, i) => makeItem('dawn', `old-${i}`, { publishedAt: T0 - 40 * DAY }))));
      const [pruned, ingested] = await Promise.all([
        stores[0]!.prune(T0 - 30 * DAY),
        stores[1]!.ingest(makeBatch('tolo', Array.from({ length: 30 }, (_, i) => makeItem('tolo', `new-${i}`)))),
      ]);
      expect(pruned.itemsRemoved).toBe(30);
      expect(ingested.new).toBe(30);
      expect((await stores[0]!.sectionStats({ countries: [], topics: [] })).itemCount).toBe(30);
    } finally {
      await closeAll(stores);
    }
  });

  it('names the server, not the password, when it cannot connect', async () => {
    const failed = await openStore('postgres://newsmux:s3cret@127.0.0.1:1/test', { log: silentLog }).then(
      () => undefined,
      (err: unknown) => err,
    );
    expect(failed).toBeInstanceOf(StoreError);
    expect((failed as Error).message).toMatch(/^store: cannot open PostgreSQL store at postgres:\/\/newsmux:\*\*\*@127\.0\.0\.1:1\/test/);
    expect((failed as Error).message).not.toContain('s3cret');
  });
});
