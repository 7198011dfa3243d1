import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { StoreError } from '../core/index.js';
import type { SectionFilter, TaggedItem } from '../core/index.js';
import { sqliteBackend, storeBackends, silentLog } from '../../tests/fixtures/store/backends.js';
import type { StoreBackend } from '../../tests/fixtures/store/backends.js';
import { DAY, HOUR, makeBatch, makeItem, okState, signatureMatcher, SOURCES, T0 } from '../../tests/fixtures/store/items.js';
import { copyStore } from './index.js';
import { POSTGRES_SCHEMA_VERSION } from './postgres/postgres-store.js';
import { SQLITE_SCHEMA_VERSION } from './sqlite/sqlite-store.js';
import type { PassRecord, Store } from './index.js';

/**
 * The Store contract: one suite, run against SQLite always and against PostgreSQL when it is reachable
 * (NEWSMUX_TEST_PG_URL; required under CI).
 */
const { backends, missing } = await storeBackends();

if (missing) {
  describe('PostgreSQL store', () => {
    it('is reachable (CI requires the PostgreSQL run)', () => {
      throw new Error(missing);
    });
  });
}

const ALL: SectionFilter = { countries: [], topics: [] };

describe.each(backends)('$name store', (backend: StoreBackend) => {
  let store: Store;
  const LATEST_SCHEMA = backend.name === 'postgres' ? POSTGRES_SCHEMA_VERSION : SQLITE_SCHEMA_VERSION;

  beforeEach(async () => {
    store = await backend.open();
    await store.syncSources(SOURCES, T0);
  });
  afterEach(async () => {
    await store.close();
  });
  afterAll(async () => {
    await backend.cleanup();
  });

  const ingest = (sourceId: string, items: TaggedItem[], extra: Parameters<typeof makeBatch>[2] = {}) =>
    store.ingest(makeBatch(sourceId, items, extra));

  describe('sources', () => {
    it('lists configured sources in config order, with their state and item count', async () => {
      await ingest('tolo', [makeItem('tolo', 'a'), makeItem('tolo', 'b')]);
      const states = await store.sourceStates();
      expect(states.map((s) => s.sourceId)).toEqual(['dawn', 'tolo', 'wire']);
      const tolo = states[1]!;
      expect(tolo).toMatchObject({ url: 'https://tolonews.com/rss', lastOutcome: 'ok', lastStatus: 200, itemCount: 2, consecutiveFailures: 0 });
      expect(states[0]).toMatchObject({ sourceId: 'dawn', nextDueAt: 0, consecutiveFailures: 0, itemCount: 0 });
      expect(states[0]!.lastOutcome).toBeUndefined();
    });

    it('makes a new source due at once, even for a worker whose clock is a moment behind the one that added it', async () => {
      const spec = backend.freshSpec();
      const [ahead, behind] = [await backend.open(spec), await backend.open(spec)];
      try {
        await ahead.syncSources(SOURCES, T0 + 2000);
        await behind.syncSources(SOURCES, T0);
        const claimed = await behind.claimDueSources({ now: T0, workerId: 'behind', leaseMs: 60_000, limit: 10 });
        expect(claimed.map((c) => c.sourceId).sort()).toEqual(['dawn', 'tolo', 'wire']);
      } finally {
        await Promise.all([ahead.close(), behind.close()]);
      }
    });

    it('hides a source dropped from config, never claims it, and keeps its state for when it returns', async () => {
      await store.recordSourceState('dawn', okState(T0, { etag: '"v1"', nextDueAt: T0 }));
      await store.syncSources(SOURCES.filter((s) => s.id !== 'dawn'), T0);
      expect((await store.sourceStates()).map((s) => s.sourceId)).toEqual(['tolo', 'wire']);
      const claimed = await store.claimDueSources({ now: T0 + DAY, workerId: 'w1', leaseMs: 60_000, limit: 10 });
      expect(claimed.map((s) => s.sourceId)).not.toContain('dawn');
      await store.syncSources(SOURCES, T0 + DAY);
      const dawn = (await store.sourceStates()).find((s) => s.sourceId === 'dawn');
      expect(dawn).toMatchObject({ etag: '"v1"', lastOutcome: 'ok' });
    });

    it('updates name and priority in place', async () => {
      const renamed = SOURCES.map((s) => (s.id === 'tolo' ? { ...s, name: 'TOLO News', priority: 20 } : s));
      await ingest('tolo', [makeItem('tolo', 'a')]);
      await ingest('wire', [makeItem('wire', 'a', { url: 'https://tolo.example/news/a' })]);
      expect((await store.sectionItems(ALL, 10))[0]!.sourceName).toBe('Wire Service');
      await store.syncSources(renamed, T0);
      const [story] = await store.sectionItems(ALL, 10);
      expect(story).toMatchObject({ id: 'tolo/a', sourceId: 'tolo', sourceName: 'TOLO News' });
    });

    it('keeps a permanent redirect until the configured URL changes, which also drops the validators', async () => {
      await store.recordSourceState('dawn', okState(T0, { url: 'https://www.dawn.com/feeds/new', etag: '"e"', lastModified: 'Mon' }));
      await store.syncSources(SOURCES, T0 + HOUR);
      expect((await store.sourceStates())[0]).toMatchObject({ url: 'https://www.dawn.com/feeds/new', etag: '"e"' });
      const moved = SOURCES.map((s) => (s.id === 'dawn' ? { ...s, url: 'https://dawn.example/rss' } : s));
      await store.syncSources(moved, T0 + 2 * HOUR);
      const dawn = (await store.sourceStates())[0]!;
      expect(dawn.url).toBe('https://dawn.example/rss');
      expect(dawn.etag).toBeUndefined();
      expect(dawn.lastModified).toBeUndefined();
      expect(dawn.nextDueAt).toBeLessThanOrEqual(T0 + 2 * HOUR);
    });

    it('records a fetch outcome: undefined keeps a field, null clears it', async () => {
      await store.recordSourceState('tolo', okState(T0, { etag: '"1"', lastModified: 'Sat', itemKeyMode: 'guid', feedTitle: 'TOLO' }));
      await store.recordSourceState('tolo', {
        lastOutcome: 'failed',
        lastStatus: 503,
        lastError: 'fetch: HTTP 503',
        lastAttemptAt: T0 + HOUR,
        consecutiveFailures: 1,
        nextDueAt: T0 + 3 * HOUR,
        etag: null,
      });
      const tolo = (await store.sourceStates())[1]!;
      expect(tolo).toMatchObject({
        lastOutcome: 'failed',
        lastStatus: 503,
        lastError: 'fetch: HTTP 503',
        lastAttemptAt: T0 + HOUR,
        lastSuccessAt: T0,
        consecutiveFailures: 1,
        nextDueAt: T0 + 3 * HOUR,
        lastModified: 'Sat',
        itemKeyMode: 'guid',
        feedTitle: 'TOLO',
      });
      expect(tolo.etag).toBeUndefined();
      await store.recordSourceState('tolo', { ...okState(T0 + 4 * HOUR), lastStatus: undefined });
      const after = (await store.sourceStates())[1]!;
      expect(after.lastError).toBeUndefined();
      expect(after.lastStatus).toBeUndefined();
    });

    it('refuses state for a source it does not know', async () => {
      await expect(store.recordSourceState('nope', okState(T0))).rejects.toBeInstanceOf(StoreError);
      await expect(ingest('nope', [makeItem('nope', 'a')])).rejects.toBeInstanceOf(StoreError);
      expect(await store.sectionItems(ALL, 10)).toEqual([]);
    });
  });

  describe('leases', () => {
    const claim = (workerId: string, now: number, limit = 10, leaseMs = 10 * 60_000) =>
      store.claimDueSources({ now, workerId, leaseMs, limit });

    it('leases each due source to one worker; others get it only after the lease expires', async () => {
      const first = await claim('w1', T0);
      expect(first.map((s) => s.sourceId)).toEqual(['dawn', 'tolo', 'wire']);
      expect(await claim('w2', T0 + 1000)).toEqual([]);
      const reclaimed = await claim('w2', T0 + 10 * 60_000);
      expect(reclaimed.map((s) => s.sourceId)).toEqual(['dawn', 'tolo', 'wire']);
    });

    it('claims only due sources, soonest first, up to the limit', async () => {
      await store.recordSourceState('dawn', okState(T0, { nextDueAt: T0 + 2 * HOUR }));
      await store.recordSourceState('wire', okState(T0, { nextDueAt: T0 + HOUR }));
      await store.recordSourceState('tolo', okState(T0, { nextDueAt: T0 + 30 * 60_000 }));
      expect(await claim('w1', T0)).toEqual([]);
      const due = await claim('w1', T0 + 3 * HOUR, 2);
      expect(due.map((s) => s.sourceId)).toEqual(['tolo', 'wire']);
      expect((await claim('w2', T0 + 3 * HOUR)).map((s) => s.sourceId)).toEqual(['dawn']);
    });

    it('releases the lease when the outcome is recorded or the batch is ingested', async () => {
      await claim('w1', T0);
      await store.recordSourceState('dawn', okState(T0, { nextDueAt: T0 }));
      await ingest('tolo', [makeItem('tolo', 'a')], { state: okState(T0, { nextDueAt: T0 }) });
      expect((await claim('w2', T0 + 1000)).map((s) => s.sourceId)).toEqual(['dawn', 'tolo']);
    });
  });

  describe('ingest', () => {
    it('starts a story per new item, with the item id as the story id', async () => {
      const result = await ingest('dawn', [
        makeItem('dawn', 'a', { countries: ['PK'], topics: ['politics'] }),
        makeItem('dawn', 'b', { countries: ['AF'], topics: ['conflict'], publishedAt: T0 + 1000 }),
      ]);
      expect(result).toEqual({
        new: 2,
        updated: 0,
        unchanged: 0,
        duplicates: 0,
        merged: 0,
        clustersFormed: 0,
        changed: { any: true, countries: ['AF', 'PK'], topics: ['conflict', 'politics'] },
      });
      const stories = await store.sectionItems(ALL, 10);
      expect(stories.map((s) => s.id)).toEqual(['dawn/b', 'dawn/a']);
      expect(stories[1]).toEqual({
        id: 'dawn/a',
        url: 'https://dawn.example/news/a',
        title: 'Story a from dawn',
        summaryHtml: '<p>Summary of a</p>',
        contentHtml: '<p>Body of a</p>',
        author: 'Staff',
        publishedAt: T0,
        updatedAt: T0,
        sourceId: 'dawn',
        sourceName: 'Dawn',
        sourceFeedUrl: 'https://www.dawn.com/feeds/home',
        tags: { countries: ['PK'], topics: ['politics'] },
        alsoReportedBy: [],
      });
    });

    it('keeps images and enclosures', async () => {
      await ingest('dawn', [
        makeItem('dawn', 'a', { imageUrl: 'https://img.example/a.jpg', enclosure: { url: 'https://cdn.example/a.mp3', type: 'audio/mpeg', length: 1234 } }),
      ]);
      const [story] = await store.sectionItems(ALL, 1);
      expect(story).toMatchObject({ imageUrl: 'https://img.example/a.jpg', enclosure: { url: 'https://cdn.example/a.mp3', type: 'audio/mpeg', length: 1234 } });
    });

    it('counts an item seen again with the same content as unchanged, and changes nothing', async () => {
      await ingest('dawn', [makeItem('dawn', 'a', { countries: ['PK'] })]);
      const again = await ingest('dawn', [makeItem('dawn', 'a', { countries: ['PK'] })]);
      expect(again).toMatchObject({ new: 0, unchanged: 1, updated: 0, changed: { any: false, countries: [], topics: [] } });
    });

    it('updates an item in place when its content changes: same story, new text, old and new tags changed', async () => {
      await ingest('dawn', [makeItem('dawn', 'a', { countries: ['PK'], topics: ['politics'] })]);
      const result = await ingest('dawn', [
        makeItem('dawn', 'a', { title: 'Corrected headline', contentHash: 'hash-a-2', countries: ['AF'], topics: ['politics'] }),
      ]);
      expect(result).toMatchObject({ new: 0, updated: 1, changed: { any: true, countries: ['AF', 'PK'], topics: ['politics'] } });
      const stories = await store.sectionItems(ALL, 10);
      expect(stories).toHaveLength(1);
      expect(stories[0]).toMatchObject({ id: 'dawn/a', title: 'Corrected headline', tags: { countries: ['AF'], topics: ['politics'] } });
      expect(await store.sectionItems({ countries: ['PK'], topics: [] }, 10)).toEqual([]);
    });

    it('joins an item with a stored canonical URL from another source to that story', async () => {
      await ingest('dawn', [makeItem('dawn', 'a', { countries: ['PK'] })]);
      const result = await ingest('tolo', [makeItem('tolo', 'x', { url: 'https://dawn.example/news/a', countries: ['AF'] })]);
      expect(result).toMatchObject({ new: 0, duplicates: 1, merged: 0, changed: { any: true, countries: ['AF', 'PK'] } });
      const stories = await store.sectionItems(ALL, 10);
      expect(stories).toHaveLength(1);
      expect(stories[0]).toMatchObject({
        id: 'dawn/a',
        sourceId: 'dawn',
        tags: { countries: ['AF', 'PK'] },
        alsoReportedBy: [{ sourceId: 'tolo', sourceName: 'TOLOnews', url: 'https://dawn.example/news/a', title: 'Story x from tolo' }],
      });
      expect((await store.sourceStates()).find((s) => s.sourceId === 'tolo')?.itemCount).toBe(1);
    });

    it('treats the same canonical URL twice in one batch as one story', async () => {
      const result = await ingest('dawn', [makeItem('dawn', 'a'), makeItem('dawn', 'a2', { url: 'https://dawn.example/news/a' })]);
      expect(result).toMatchObject({ new: 1, duplicates: 1 });
      expect(await store.sectionItems(ALL, 10)).toHaveLength(1);
    });

    it('joins the same title from the same source within the window, and only then', async () => {
      await ingest('dawn', [makeItem('dawn', 'a', { titleKey: 'floods in sindh' })]);
      const same = await ingest('dawn', [makeItem('dawn', 'b', { titleKey: 'floods in sindh', publishedAt: T0 + 47 * HOUR })]);
      expect(same).toMatchObject({ new: 0, duplicates: 1 });
      const late = await ingest('dawn', [makeItem('dawn', 'c', { titleKey: 'floods in sindh', publishedAt: T0 + 5 * DAY })]);
      expect(late).toMatchObject({ new: 1, duplicates: 0 });
      const other = await ingest('tolo', [makeItem('tolo', 'd', { titleKey: 'floods in sindh' })]);
      expect(other).toMatchObject({ new: 1, duplicates: 0 });
      expect((await store.sectionItems(ALL, 10)).map((s) => s.id).sort()).toEqual(['dawn/a', 'dawn/c', 'tolo/d']);
    });

    it('merges near-duplicates the matcher picks, counting a story formed once', async () => {
      const matcher = signatureMatcher();
      await ingest('dawn', [makeItem('dawn', 'a', { bands: ['b1', 'b2'], countries: ['PK'] })], { nearDuplicates: matcher });
      const second = await ingest('tolo', [makeItem('tolo', 'x', { bands: ['b1', 'b2'], countries: ['AF'] })], { nearDuplicates: matcher });
      expect(second).toMatchObject({ new: 0, merged: 1, clustersFormed: 1, changed: { any: true, countries: ['AF', 'PK'] } });
      const third = await ingest('wire', [makeItem('wire', 'y', { bands: ['b1', 'b2'] })], { nearDuplicates: matcher });
      expect(third).toMatchObject({ new: 0, merged: 1, clustersFormed: 0 });
      const stories = await store.sectionItems(ALL, 10);
      expect(stories).toHaveLength(1);
      expect(stories[0]!.id).toBe('dawn/a');
      expect(stories[0]!.alsoReportedBy.map((a) => a.sourceId)).toEqual(['dawn', 'tolo']);
    });

    it('offers the matcher only items sharing a band and published within its window', async () => {
      const matcher = signatureMatcher(DAY);
      await ingest('dawn', [makeItem('dawn', 'a', { bands: ['b1'] }), makeItem('dawn', 'old', { bands: ['b1'], publishedAt: T0 - 2 * DAY })]);
      await ingest('wire', [makeItem('wire', 'z', { bands: ['other'] })]);
      await ingest('tolo', [makeItem('tolo', 'x', { bands: ['b1', 'b9'], sketch: { signature: 'different', bandKeys: ['b1', 'b9'] } })], {
        nearDuplicates: matcher,
      });
      expect(matcher.seen).toHaveLength(1);
      expect(matcher.seen[0]).toEqual([{ itemId: 'dawn/a', clusterId: 'dawn/a', sourceId: 'dawn', publishedAt: T0, signature: 'sig:b1' }]);
      expect(await store.sectionItems(ALL, 10)).toHaveLength(4);
    });

    it('compares no sketches without a near-duplicate policy', async () => {
      await ingest('dawn', [makeItem('dawn', 'a', { bands: ['b1'] })]);
      const result = await ingest('tolo', [makeItem('tolo', 'x', { bands: ['b1'] })]);
      expect(result).toMatchObject({ new: 1, merged: 0 });
    });

    it('sees earlier items of the same batch', async () => {
      const matcher = signatureMatcher();
      const result = await ingest(
        'wire',
        [
          makeItem('wire', 'a', { bands: ['k'] }),
          makeItem('wire', 'b', { bands: ['k'] }),
          makeItem('wire', 'a', { contentHash: 'v2', title: 'Second version', bands: ['k'] }),
          makeItem('wire', 'a', { contentHash: 'v2', title: 'Second version', bands: ['k'] }),
        ],
        { nearDuplicates: matcher },
      );
      expect(result).toMatchObject({ new: 1, merged: 1, clustersFormed: 1, updated: 1, unchanged: 1 });
      const stories = await store.sectionItems(ALL, 10);
      expect(stories).toHaveLength(1);
      expect(stories[0]).toMatchObject({ id: 'wire/a', title: 'Second version' });
    });

    it('keeps the story id when later copies join and when a higher-priority source becomes representative', async () => {
      await ingest('dawn', [makeItem('dawn', 'a', { publishedAt: T0 })]);
      await ingest('tolo', [makeItem('tolo', 'x', { url: 'https://dawn.example/news/a', publishedAt: T0 - HOUR })]);
      let [story] = await store.sectionItems(ALL, 10);
      // Same priority: the earliest copy represents the story; the id is still the first member's.
      expect(story).toMatchObject({ id: 'dawn/a', sourceId: 'tolo', title: 'Story x from tolo', publishedAt: T0 - HOUR });
      await ingest('wire', [makeItem('wire', 'y', { url: 'https://dawn.example/news/a', publishedAt: T0 + HOUR, title: 'Wire copy' })]);
      [story] = await store.sectionItems(ALL, 10);
      expect(story).toMatchObject({ id: 'dawn/a', sourceId: 'wire', sourceName: 'Wire Service', title: 'Wire copy', publishedAt: T0 - HOUR });
      expect(story!.alsoReportedBy.map((a) => a.sourceId)).toEqual(['tolo', 'dawn']);
    });

    it('commits a batch whole or not at all', async () => {
      const boom = {
        ...signatureMatcher(DAY),
        match: () => {
          throw new Error('matcher exploded');
        },
      };
      await ingest('tolo', [makeItem('tolo', 'k', { bands: ['k'] })]);
      const failed = ingest('dawn', [makeItem('dawn', 'a'), makeItem('dawn', 'b', { bands: ['k'] })], {
        nearDuplicates: boom,
        state: okState(T0, { etag: '"new"' }),
      });
      await expect(failed).rejects.toBeInstanceOf(StoreError);
      await expect(failed).rejects.toThrow(/matcher exploded/);
      expect((await store.sectionItems(ALL, 10)).map((s) => s.id)).toEqual(['tolo/k']);
      expect((await store.sourceStates())[0]!.etag).toBeUndefined();
    });

    it('a story outliving its first member takes that member back', async () => {
      await ingest('dawn', [makeItem('dawn', 'a', { publishedAt: T0 - 10 * DAY, titleKey: undefined })]);
      await ingest('tolo', [makeItem('tolo', 'x', { url: 'https://dawn.example/news/a', titleKey: undefined })]);
      await store.prune(T0 - DAY);
      const back = await ingest('dawn', [makeItem('dawn', 'a', { url: 'https://dawn.example/news/a-moved', publishedAt: T0 - 10 * DAY })]);
      expect(back).toMatchObject({ new: 1 });
      const stories = await store.sectionItems(ALL, 10);
      expect(stories.map((s) => s.id)).toEqual(['dawn/a']);
    });
  });

  describe('sections', () => {
    beforeEach(async () => {
      await ingest('dawn', [
        makeItem('dawn', 'pk-pol', { countries: ['PK'], topics: ['politics'], publishedAt: T0 + 1 }),
        makeItem('dawn', 'pk-sport', { countries: ['PK'], topics: ['sport'], publishedAt: T0 + 2 }),
        makeItem('dawn', 'untagged', { publishedAt: T0 + 3 }),
      ]);
      await ingest('tolo', [
        makeItem('tolo', 'af-conflict', { countries: ['AF'], topics: ['conflict'], publishedAt: T0 + 4 }),
        makeItem('tolo', 'af-pk-conflict', { countries: ['AF', 'PK'], topics: ['conflict', 'politics'], publishedAt: T0 + 5 }),
      ]);
    });
    const ids = async (filter: SectionFilter, limit = 50) => (await store.sectionItems(filter, limit)).map((s) => s.id);

    it('lists every story newest first, up to the limit', async () => {
      expect(await ids(ALL)).toEqual(['tolo/af-pk-conflict', 'tolo/af-conflict', 'dawn/untagged', 'dawn/pk-sport', 'dawn/pk-pol']);
      expect(await ids(ALL, 2)).toEqual(['tolo/af-pk-conflict', 'tolo/af-conflict']);
      expect(await ids(ALL, 0)).toEqual([]);
    });

    it('matches any of the countries, any of the topics, and both when both are given', async () => {
      expect(await ids({ countries: ['PK'], topics: [] })).toEqual(['tolo/af-pk-conflict', 'dawn/pk-sport', 'dawn/pk-pol']);
      expect(await ids({ countries: ['AF', 'PK'], topics: [] })).toHaveLength(4);
      expect(await ids({ countries: [], topics: ['politics'] })).toEqual(['tolo/af-pk-conflict', 'dawn/pk-pol']);
      expect(await ids({ countries: ['AF', 'PK'], topics: ['conflict'] })).toEqual(['tolo/af-pk-conflict', 'tolo/af-conflict']);
      expect(await ids({ countries: ['PK'], topics: ['sport', 'conflict'] })).toEqual(['tolo/af-pk-conflict', 'dawn/pk-sport']);
      expect(await ids({ countries: ['IN'], topics: [] })).toEqual([]);
    });

    it('moves a story down a section when an earlier copy joins it, and up again when that copy is pruned', async () => {
      await ingest('wire', [makeItem('wire', 'early', { url: 'https://tolo.example/news/af-pk-conflict', publishedAt: T0 - DAY })]);
      expect(await ids({ countries: ['PK'], topics: [] })).toEqual(['dawn/pk-sport', 'dawn/pk-pol', 'tolo/af-pk-conflict']);
      expect(await ids({ countries: [], topics: ['conflict'] })).toEqual(['tolo/af-conflict', 'tolo/af-pk-conflict']);
      expect(await store.sectionStats({ countries: ['AF'], topics: [] })).toEqual({ itemCount: 2, updatedAt: T0 + 4 });
      await store.prune(T0 - HOUR);
      expect(await ids({ countries: ['PK'], topics: [] })).toEqual(['tolo/af-pk-conflict', 'dawn/pk-sport', 'dawn/pk-pol']);
      expect(await store.sectionStats({ countries: ['AF'], topics: [] })).toEqual({ itemCount: 2, updatedAt: T0 + 5 });
    });

    it('uses the union of the members’ tags', async () => {
      await ingest('wire', [makeItem('wire', 'copy', { url: 'https://dawn.example/news/untagged', countries: ['IN'], topics: ['economy'] })]);
      expect(await ids({ countries: ['IN'], topics: ['economy'] })).toEqual(['dawn/untagged']);
    });

    it('counts stories per section and per tag', async () => {
      expect(await store.sectionStats(ALL)).toEqual({ itemCount: 5, updatedAt: T0 + 5 });
      expect(await store.sectionStats({ countries: ['PK'], topics: ['politics'] })).toEqual({ itemCount: 2, updatedAt: T0 + 5 });
      expect(await store.sectionStats({ countries: ['IN'], topics: [] })).toEqual({ itemCount: 0, updatedAt: 0 });
      const counts = await store.tagCounts();
      expect(Object.fromEntries(counts.countries)).toEqual({ AF: 2, PK: 3 });
      expect(Object.fromEntries(counts.topics)).toEqual({ conflict: 2, politics: 2, sport: 1 });
    });
  });

  describe('prune', () => {
    it('removes old items with their stories, tags and bands, and reports the tags touched', async () => {
      const matcher = signatureMatcher(30 * DAY);
      await ingest('dawn', [
        makeItem('dawn', 'old', { publishedAt: T0 - 40 * DAY, countries: ['PK'], topics: ['sport'], bands: ['b-old'] }),
        makeItem('dawn', 'new', { publishedAt: T0, countries: ['AF'] }),
      ]);
      const result = await store.prune(T0 - 30 * DAY);
      expect(result).toEqual({ itemsRemoved: 1, clustersRemoved: 1, changed: { any: true, countries: ['PK'], topics: ['sport'] } });
      expect((await store.sectionItems(ALL, 10)).map((s) => s.id)).toEqual(['dawn/new']);
      expect(Object.fromEntries((await store.tagCounts()).countries)).toEqual({ AF: 1 });
      expect((await store.sourceStates())[0]!.itemCount).toBe(1);
      // Its band is gone: a copy published later no longer finds it.
      const copy = await ingest('tolo', [makeItem('tolo', 'x', { publishedAt: T0 - 39 * DAY, bands: ['b-old'] })], { nearDuplicates: matcher });
      expect(copy).toMatchObject({ new: 1, merged: 0 });
      expect(await store.prune(T0 - 50 * DAY)).toEqual({ itemsRemoved: 0, clustersRemoved: 0, changed: { any: false, countries: [], topics: [] } });
    });

    it('re-picks the representative and the tags when a story keeps some members', async () => {
      await ingest('wire', [makeItem('wire', 'a', { publishedAt: T0 - 40 * DAY, countries: ['IN'], title: 'Wire first' })]);
      await ingest('dawn', [makeItem('dawn', 'b', { url: 'https://wire.example/news/a', publishedAt: T0, countries: ['PK'] })]);
      expect((await store.sectionItems(ALL, 10))[0]).toMatchObject({ id: 'wire/a', title: 'Wire first', tags: { countries: ['IN', 'PK'] } });
      const result = await store.prune(T0 - 30 * DAY);
      expect(result).toMatchObject({ itemsRemoved: 1, clustersRemoved: 0, changed: { any: true, countries: ['IN', 'PK'] } });
      const [story] = await store.sectionItems(ALL, 10);
      expect(story).toMatchObject({ id: 'wire/a', sourceId: 'dawn', publishedAt: T0, tags: { countries: ['PK'] }, alsoReportedBy: [] });
      expect(await store.sectionItems({ countries: ['IN'], topics: [] }, 10)).toEqual([]);
    });
  });

  describe('passes and locks', () => {
    const pass = (startedAt: number, extra: Partial<PassRecord> = {}): PassRecord => ({
      startedAt,
      finishedAt: startedAt + 5000,
      status: 'ok',
      sourcesOk: 3,
      sourcesNotModified: 1,
      sourcesFailed: 0,
      itemsNew: 10,
      itemsUpdated: 1,
      itemsDuplicate: 2,
      itemsMerged: 3,
      clustersFormed: 1,
      sectionsWritten: 4,
      ...extra,
    });

    it('keeps a log of passes and returns the last one', async () => {
      expect(await store.lastPass()).toBeUndefined();
      await store.recordPass(pass(T0));
      await store.recordPass(pass(T0 + HOUR, { status: 'failed', error: 'store: disk full' }));
      expect(await store.lastPass()).toEqual(pass(T0 + HOUR, { status: 'failed', error: 'store: disk full' }));
    });

    it('lists the locks whose name starts with a prefix, with their owner and expiry', async () => {
      await store.acquireLock('marker:w1', 'w1', T0, 60_000);
      await store.acquireLock('marker:w2', 'w2', T0, 120_000);
      await store.acquireLock('markers-other', 'w3', T0, 60_000);
      await store.acquireLock('pass', 'w1', T0, 60_000);
      expect(await store.locks('marker:')).toEqual([
        { name: 'marker:w1', owner: 'w1', expiresAt: T0 + 60_000 },
        { name: 'marker:w2', owner: 'w2', expiresAt: T0 + 120_000 },
      ]);
      expect(await store.locks('nothing')).toEqual([]);
    });

    it('gives a named lock to one owner at a time; the owner renews it; an expired lock is taken over', async () => {
      expect(await store.acquireLock('publish', 'w1', T0, 60_000)).toBe(true);
      expect(await store.acquireLock('publish', 'w2', T0 + 1000, 60_000)).toBe(false);
      expect(await store.acquireLock('pass', 'w2', T0 + 1000, 60_000)).toBe(true);
      expect(await store.acquireLock('publish', 'w1', T0 + 50_000, 60_000)).toBe(true);
      expect(await store.acquireLock('publish', 'w2', T0 + 100_000, 60_000)).toBe(false);
      expect(await store.acquireLock('publish', 'w2', T0 + 110_000, 60_000)).toBe(true);
      await store.releaseLock('publish', 'w1'); // not the owner any more: no effect
      expect(await store.acquireLock('publish', 'w3', T0 + 120_000, 60_000)).toBe(false);
      await store.releaseLock('publish', 'w2');
      expect(await store.acquireLock('publish', 'w3', T0 + 120_000, 60_000)).toBe(true);
    });
  });

  describe('lifecycle', () => {
    it('closes once, however often it is asked, and refuses work afterwards', async () => {
      await store.close();
      await store.close();
      await expect(store.sourceStates()).rejects.toBeInstanceOf(StoreError);
    });

    it('keeps its data across reopening; migrations run once', async () => {
      const spec = backend.freshSpec();
      const first = await backend.open(spec);
      await first.syncSources(SOURCES, T0);
      await first.ingest(makeBatch('dawn', [makeItem('dawn', 'a')]));
      await first.close();
      const second = await backend.open(spec);
      try {
        expect((await second.sectionItems(ALL, 10)).map((s) => s.id)).toEqual(['dawn/a']);
        expect((await second.sourceStates()).map((s) => s.sourceId)).toEqual(['dawn', 'tolo', 'wire']);
      } finally {
        await second.close();
      }
    });

    it('upgrades a store of schema v1 in place: its stories publish as before, the plain-text columns are gone', async () => {
      const spec = backend.freshSpec();
      await backend.createAtVersion(
        spec,
        1,
        `INSERT INTO sources (id, position, configured_url, url, name, priority, active, next_due_at, added_at)
           VALUES ('dawn', 0, 'https://dawn.example/rss', 'https://dawn.example/rss', 'Dawn', 0, 1, 0, ${T0});
         INSERT INTO items (id, source_id, cluster_id, item_key, url, url_key, title, summary_html, summary_text, content_html,
             content_text, published_at, categories, content_hash, countries, topics, first_seen_at, changed_at)
           VALUES ('dawn/a', 'dawn', 'dawn/a', 'a', 'https://dawn.example/a', 'https://dawn.example/a', 'Floods in Sindh',
             '<p>Summary</p>', 'Summary', '<p>Body</p>', 'Body', ${T0}, '[]', 'h1', '["PK"]', '[]', ${T0}, ${T0});
         INSERT INTO clusters (id, published_at, updated_at, changed_at, member_count) VALUES ('dawn/a', ${T0}, ${T0}, ${T0}, 1);
         INSERT INTO cluster_country (cluster_id, country, published_at) VALUES ('dawn/a', 'PK', ${T0});`,
      );
      await store.close();
      store = await backend.open(spec);
      expect(await (store as unknown as { schemaVersion(): number | Promise<number> }).schemaVersion()).toBe(LATEST_SCHEMA);
      const [story] = await store.sectionItems({ countries: ['PK'], topics: [] }, 10);
      expect(story).toMatchObject({ id: 'dawn/a', title: 'Floods in Sindh', summaryHtml: '<p>Summary</p>', contentHtml: '<p>Body</p>' });
      await store.syncSources(SOURCES, T0);
      expect(await ingest('dawn', [makeItem('dawn', 'a', { contentHash: 'h2', title: 'Floods in Sindh, updated' })])).toMatchObject({ updated: 1 });
      expect((await store.sectionItems(ALL, 10))[0]).toMatchObject({ id: 'dawn/a', title: 'Floods in Sindh, updated' });
    });

    it('refuses a store whose schema is newer than this build', async () => {
      const spec = backend.freshSpec();
      await (await backend.open(spec)).close();
      await backend.setSchemaVersion(spec, LATEST_SCHEMA + 1);
      const refused = await backend.open(spec).then(
        () => undefined,
        (err: unknown) => err,
      );
      expect(refused).toBeInstanceOf(StoreError);
      expect((refused as StoreError).message).toBe(
        `store: schema v${LATEST_SCHEMA + 1} is newer than this build (v${LATEST_SCHEMA}); upgrade newsmux`,
      );
    });
  });

  describe('copyStore', () => {
    it('copies an embedded store here whole: sources with state, stories, tags, bands, passes', async () => {
      const sqlite = sqliteBackend();
      try {
        const from = sqlite.freshSpec();
        const src = await sqlite.open(from);
        const matcher = signatureMatcher();
        await src.syncSources(SOURCES, T0);
        await src.recordSourceState('dawn', okState(T0, { etag: '"d"', url: 'https://www.dawn.com/feeds/moved' }));
        await src.ingest(makeBatch('dawn', [makeItem('dawn', 'a', { countries: ['PK'], topics: ['politics'], bands: ['k1'] })]));
        await src.ingest(makeBatch('tolo', [makeItem('tolo', 'x', { countries: ['AF'], bands: ['k1'] })], { nearDuplicates: matcher }));
        await src.ingest(makeBatch('wire', [makeItem('wire', 'w', { url: 'https://dawn.example/news/a' }), makeItem('wire', 'solo')]));
        await src.recordPass({
          startedAt: T0,
          finishedAt: T0 + 1,
          status: 'ok',
          sourcesOk: 3,
          sourcesNotModified: 0,
          sourcesFailed: 0,
          itemsNew: 2,
          itemsUpdated: 0,
          itemsDuplicate: 1,
          itemsMerged: 1,
          clustersFormed: 1,
          sectionsWritten: 5,
        });
        const expected = {
          all: await src.sectionItems(ALL, 50),
          pk: await src.sectionItems({ countries: ['PK'], topics: [] }, 50),
          states: await src.sourceStates(),
          tags: await src.tagCounts(),
          pass: await src.lastPass(),
        };
        await src.close();

        const to = backend.freshSpec();
        expect(await copyStore(from, to, silentLog)).toEqual({ sources: 3, items: 4 });
        const copied = await backend.open(to);
        try {
          expect(await copied.sectionItems(ALL, 50)).toEqual(expected.all);
          expect(await copied.sectionItems({ countries: ['PK'], topics: [] }, 50)).toEqual(expected.pk);
          expect(await copied.sourceStates()).toEqual(expected.states);
          expect(await copied.tagCounts()).toEqual(expected.tags);
          expect(await copied.lastPass()).toEqual(expected.pass);
          // The band index came along: a new copy still finds the story.
          const late = await copied.ingest(makeBatch('wire', [makeItem('wire', 'late', { bands: ['k1'] })], { nearDuplicates: signatureMatcher() }));
          expect(late).toMatchObject({ merged: 1 });
        } finally {
          await copied.close();
        }
        const refused = copyStore(from, to, silentLog);
        await expect(refused).rejects.toThrow(/already holds 3 sources and 5 items; copy into an empty store/);
      } finally {
        await sqlite.cleanup();
      }
    });
  });
});
