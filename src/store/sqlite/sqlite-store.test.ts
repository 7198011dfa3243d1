import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Database } from './driver.js';
import { afterAll, describe, expect, it } from 'vitest';
import { StoreError } from '../../core/index.js';
import { silentLog, sqliteBackend } from '../../../tests/fixtures/store/backends.js';
import { DAY, makeBatch, makeItem, signatureMatcher, SOURCES, T0 } from '../../../tests/fixtures/store/items.js';
import { openStore } from '../index.js';
import { SQLITE_SCHEMA_VERSION, SqliteStore } from './sqlite-store.js';

describe('SqliteStore', () => {
  const dir = mkdtempSync(join(tmpdir(), 'newsmux-sqlite-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('creates the file and its folders, in WAL mode', async () => {
    const path = join(dir, 'deep', 'er', 'newsmux.db');
    const store = await openStore(path, { log: silentLog });
    await store.close();
    const db = new Database(path, { readonly: true });
    try {
      expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
      expect(db.prepare('SELECT max(version) AS v FROM schema_migrations').get()).toEqual({ v: SQLITE_SCHEMA_VERSION });
    } finally {
      db.close();
    }
  });

  it('reports a file that is not a database as a store error naming the file', async () => {
    const path = join(dir, 'not-a-db.db');
    writeFileSync(path, 'this is a text file, long enough to have a header that SQLite reads and rejects');
    await expect(openStore(path, { log: silentLog })).rejects.toThrow(new RegExp(`^store: .*${path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`));
    await expect(openStore(path, { log: silentLog })).rejects.toBeInstanceOf(StoreError);
  });

  it('works in memory', async () => {
    const store = SqliteStore.open(':memory:', silentLog);
    await store.syncSources(SOURCES, T0);
    expect((await store.ingest(makeBatch('dawn', [makeItem('dawn', 'a')]))).new).toBe(1);
    expect(store.schemaVersion()).toBe(SQLITE_SCHEMA_VERSION);
    await store.close();
  });

  it('commits writes arriving together in one transaction, each source whole or not at all', async () => {
    const store = SqliteStore.open(':memory:', silentLog);
    await store.syncSources(SOURCES, T0);
    const boom = {
      ...signatureMatcher(DAY),
      match: () => {
        throw new Error('matcher exploded');
      },
    };
    const [good, bad, also] = await Promise.allSettled([
      store.ingest(makeBatch('dawn', [makeItem('dawn', 'a')])),
      store.ingest(makeBatch('tolo', [makeItem('tolo', 'x', { bands: ['k'] }), makeItem('tolo', 'y', { bands: ['k'] })], { nearDuplicates: boom })),
      store.recordSourceState('wire', { lastOutcome: 'not-modified', lastAttemptAt: T0, consecutiveFailures: 0, nextDueAt: T0 + DAY }),
    ]);
    expect(good).toMatchObject({ status: 'fulfilled', value: { new: 1 } });
    expect(bad).toMatchObject({ status: 'rejected', reason: expect.any(StoreError) });
    expect(also.status).toBe('fulfilled');
    expect((await store.sectionItems({ countries: [], topics: [] }, 10)).map((s) => s.id)).toEqual(['dawn/a']);
    const states = new Map((await store.sourceStates()).map((s) => [s.sourceId, s]));
    expect(states.get('tolo')?.lastOutcome).toBeUndefined();
    expect(states.get('wire')?.lastOutcome).toBe('not-modified');
    await store.close();
  });

  it('shares one file between two processes: locks exclude each other and copies meet', async () => {
    const path = join(dir, 'shared.db');
    const [a, b] = [await openStore(path, { log: silentLog }), await openStore(path, { log: silentLog })];
    try {
      await a.syncSources(SOURCES, T0);
      expect(await a.acquireLock('pass', 'process-a', T0, 60_000)).toBe(true);
      expect(await b.acquireLock('pass', 'process-b', T0, 60_000)).toBe(false);
      await a.ingest(makeBatch('dawn', [makeItem('dawn', 'a')]));
      const copy = await b.ingest(makeBatch('tolo', [makeItem('tolo', 'x', { url: 'https://dawn.example/news/a' })]));
      expect(copy).toMatchObject({ new: 0, duplicates: 1 });
      expect((await a.sectionItems({ countries: [], topics: [] }, 10))[0]?.alsoReportedBy).toHaveLength(1);
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
  });

  it('finds near-duplicates another process stored after this one built its band index', async () => {
    const path = join(dir, 'bands.db');
    const matcher = signatureMatcher(DAY);
    const [a, b] = [await openStore(path, { log: silentLog }), await openStore(path, { log: silentLog })];
    try {
      await a.syncSources(SOURCES, T0);
      await a.ingest(makeBatch('dawn', [makeItem('dawn', 'first', { bands: ['k0'] })], { nearDuplicates: matcher }));
      await b.ingest(makeBatch('tolo', [makeItem('tolo', 'copy', { bands: ['k1'] })], { nearDuplicates: matcher }));
      // a's index (built on its first lookup) has not seen tolo/copy; a must notice b's write.
      const merged = await a.ingest(makeBatch('wire', [makeItem('wire', 'again', { bands: ['k1'] })], { nearDuplicates: matcher }));
      expect(merged).toMatchObject({ merged: 1, clustersFormed: 1 });
      const stories = await a.sectionItems({ countries: [], topics: [] }, 10);
      expect(stories.map((s) => [s.id, s.alsoReportedBy.map((r) => r.sourceId)])).toEqual([
        ['dawn/first', []],
        ['tolo/copy', ['tolo']],
      ]);
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
  });

  it('finds near-duplicates of old items beyond what the band index loaded', async () => {
    const path = join(dir, 'old-bands.db');
    const matcher = signatureMatcher(DAY);
    const first = await openStore(path, { log: silentLog });
    await first.syncSources(SOURCES, T0);
    await first.ingest(makeBatch('dawn', [makeItem('dawn', 'old', { bands: ['k-old'], publishedAt: T0 - 20 * DAY })], { nearDuplicates: matcher }));
    await first.close();
    // A new process loads only recent sketches; a copy of the old story, seen for the first time, still meets it.
    const second = await openStore(path, { log: silentLog });
    try {
      await second.ingest(makeBatch('dawn', [makeItem('dawn', 'recent', { bands: ['k-new'] })], { nearDuplicates: matcher }));
      const copy = await second.ingest(
        makeBatch('tolo', [makeItem('tolo', 'old-copy', { bands: ['k-old'], publishedAt: T0 - 20 * DAY + 3_600_000 })], { nearDuplicates: matcher }),
      );
      expect(copy).toMatchObject({ merged: 1 });
    } finally {
      await second.close();
    }
  });

  it('loads, for an old item seen for the first time, the days around it and not everything since', async () => {
    const path = join(dir, 'old-window.db');
    const matcher = signatureMatcher(DAY);
    const first = await openStore(path, { log: silentLog });
    await first.syncSources(SOURCES, T0);
    // One sketched item a day for 30 days.
    const daily = Array.from({ length: 30 }, (_, d) => makeItem('dawn', `day-${d}`, { bands: [`k-${d}`], publishedAt: T0 - d * DAY }));
    await first.ingest(makeBatch('dawn', daily, { nearDuplicates: matcher }));
    await first.close();
    const second = (await openStore(path, { log: silentLog })) as SqliteStore;
    try {
      const held = () => (second as unknown as { bands?: { index: { size: number } } }).bands?.index.size ?? 0;
      await second.ingest(makeBatch('tolo', [makeItem('tolo', 'new', { bands: ['k-x'] })], { nearDuplicates: matcher }));
      const recent = held();
      // The new item's window (a day either side of T0): days 0 and 1; and the new item.
      expect(recent).toBe(3);
      const copy = await second.ingest(
        makeBatch('tolo', [makeItem('tolo', 'day-20-copy', { bands: ['k-20'], publishedAt: T0 - 20 * DAY + 3_600_000 })], { nearDuplicates: matcher }),
      );
      expect(copy).toMatchObject({ merged: 1 });
      // Days 19 and 20 (the copy's window: a day either side of T0 − 20 days + 1 h), and the copy; not days 2 to 18.
      expect(held() - recent).toBe(2 + 1);
    } finally {
      await second.close();
    }
  });

  it('upgrades a v2 store: its sketches move to the rowid table and still find their copies', async () => {
    const backend = sqliteBackend();
    const spec = backend.freshSpec();
    try {
      await backend.createAtVersion(
        spec,
        2,
        `INSERT INTO sources (id, position, configured_url, url, name, priority, active, next_due_at, added_at)
           VALUES ('dawn', 0, 'https://dawn.example/rss', 'https://dawn.example/rss', 'Dawn', 0, 1, 0, ${T0});
         INSERT INTO items (id, source_id, cluster_id, item_key, url, url_key, title, published_at, categories, content_hash,
             countries, topics, first_seen_at, changed_at)
           VALUES ('dawn/old', 'dawn', 'dawn/old', 'old', 'https://dawn.example/old', 'https://dawn.example/old', 'Floods',
             ${T0}, '[]', 'h1', '[]', '[]', ${T0}, ${T0});
         INSERT INTO clusters (id, published_at, updated_at, changed_at, member_count) VALUES ('dawn/old', ${T0}, ${T0}, ${T0}, 1);
         INSERT INTO item_sketch (item_id, cluster_id, source_id, published_at, signature, band_keys)
           VALUES ('dawn/old', 'dawn/old', 'dawn', ${T0}, 'sig:k1', '["k1"]');`,
      );
      const store = await openStore(spec, { log: silentLog });
      try {
        await store.syncSources(SOURCES, T0);
        const copy = await store.ingest(makeBatch('tolo', [makeItem('tolo', 'copy', { bands: ['k1'] })], { nearDuplicates: signatureMatcher(DAY) }));
        expect(copy).toMatchObject({ merged: 1 });
      } finally {
        await store.close();
      }
      const db = new Database(spec, { readonly: true });
      try {
        expect(db.prepare(`SELECT count(*) AS n FROM item_sketch`).get()).toEqual({ n: 2 });
        expect(db.prepare(`SELECT name FROM sqlite_master WHERE tbl_name = 'item_sketch' AND type = 'index' ORDER BY name`).pluck().all()).toEqual([
          'item_sketch_item',
          'item_sketch_published',
        ]);
      } finally {
        db.close();
      }
    } finally {
      await backend.cleanup();
    }
  });
});
