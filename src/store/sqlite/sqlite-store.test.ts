import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { StoreError } from '../../core/index.js';
import { silentLog } from '../../../tests/fixtures/store/backends.js';
import { makeBatch, makeItem, SOURCES, T0 } from '../../../tests/fixtures/store/items.js';
import { openStore } from '../index.js';
import { SqliteStore } from './sqlite-store.js';

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
      expect(db.prepare('SELECT max(version) AS v FROM schema_migrations').get()).toEqual({ v: 1 });
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
    expect(store.schemaVersion()).toBe(1);
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
});
