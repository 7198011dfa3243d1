import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import type { Statement } from 'better-sqlite3';
import { StoreError } from '../../core/index.js';
import type {
  CountryCode,
  Logger,
  PublishedItem,
  SectionFilter,
  Source,
  SourceState,
  SourceStateUpdate,
  TopicId,
} from '../../core/index.js';
import { groupClusterTags, recomputeClusters } from '../cluster-summary.js';
import type { ClusterRow, ClusterWrites, MemberTagRow } from '../cluster-summary.js';
import { collectIngestKeys, planIngest } from '../ingest-plan.js';
import type { BandCandidate, ExistingItem, IngestLookups, IngestKeys, ItemRef } from '../ingest-plan.js';
import { buildPublishedItems, PUBLISH_MEMBER_SELECT } from '../published-items.js';
import type { PublishMemberRow } from '../published-items.js';
import {
  ITEM_COLUMNS,
  ITEM_UPDATE_COLUMNS,
  itemToRow,
  PASS_COLUMNS,
  PASSES_KEPT,
  passToRow,
  rowToPass,
  rowToSourceState,
  stateAssignments,
} from '../rows.js';
import type { PassRow, SourceRow, SqlValue } from '../rows.js';
import { assertSchemaNotNewer } from '../schema-version.js';
import type {
  ClaimOptions,
  IngestBatch,
  IngestResult,
  PassRecord,
  PruneResult,
  SectionStats,
  Store,
} from '../store.js';
import { TagChanges } from '../tag-changes.js';
import { SQLITE_MIGRATIONS } from './migrations/index.js';

/** How long a writer waits for another process's write transaction before failing. */
const BUSY_TIMEOUT_MS = 15_000;

/** Latest schema version this build knows. */
export const SQLITE_SCHEMA_VERSION = Math.max(...SQLITE_MIGRATIONS.map((m) => m.version));

/**
 * The embedded store: one SQLite file in WAL mode. better-sqlite3 is synchronous, so each operation runs to the
 * end without interleaving with others in this process; `BEGIN IMMEDIATE` and the busy timeout order writers
 * across processes.
 */
export class SqliteStore implements Store {
  readonly kind = 'sqlite' as const;
  private db: Database.Database | undefined;
  private readonly statements = new Map<string, Statement>();
  private readonly log: Logger;

  private constructor(db: Database.Database, log: Logger) {
    this.db = db;
    this.log = log;
  }

  /** Opens (creating the file and its folder when missing) and migrates the store at `path`. */
  static open(path: string, log: Logger): SqliteStore {
    let db: Database.Database;
    try {
      if (path !== ':memory:' && !path.startsWith('file:')) mkdirSync(dirname(path), { recursive: true });
      db = new Database(path, { timeout: BUSY_TIMEOUT_MS });
      db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
      db.pragma('journal_mode = WAL');
      db.pragma('synchronous = NORMAL');
      db.pragma('foreign_keys = OFF');
    } catch (err) {
      throw new StoreError('open', `store: cannot open SQLite database ${path}: ${(err as Error).message}`, { cause: err });
    }
    const store = new SqliteStore(db, log);
    try {
      store.migrate();
    } catch (err) {
      db.close();
      if (err instanceof StoreError) throw err;
      throw new StoreError('open', `store: cannot prepare SQLite database ${path}: ${(err as Error).message}`, { cause: err });
    }
    return store;
  }

  /** Current schema version (0 for an empty file). */
  schemaVersion(): number {
    const db = this.conn('schemaVersion');
    const table = db.prepare(`SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'`).get();
    if (!table) return 0;
    const row = db.prepare('SELECT max(version) AS v FROM schema_migrations').get() as { v: number | null };
    return row.v ?? 0;
  }

  private migrate(): void {
    const db = this.conn('open');
    const run = db.transaction(() => {
      db.exec('CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL)');
      const current = this.schemaVersion();
      assertSchemaNotNewer(current, SQLITE_SCHEMA_VERSION);
      for (const m of SQLITE_MIGRATIONS) {
        if (m.version <= current) continue;
        db.exec(m.sql);
        db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)').run(m.version, m.name, Date.now());
        this.log.info({ version: m.version, migration: m.name }, 'store migrated');
      }
    });
    run.immediate();
  }

  // ---------------------------------------------------------------- sources

  async syncSources(sources: readonly Source[], now: number): Promise<void> {
    this.write('syncSources', () => {
      const upsert = this.stmt(`
        INSERT INTO sources (id, position, configured_url, url, name, country, language, priority, active, next_due_at, added_at)
        VALUES (@id, @position, @url, @url, @name, @country, @language, @priority, 1, @now, @now)
        ON CONFLICT (id) DO UPDATE SET
          position = excluded.position, name = excluded.name, country = excluded.country,
          language = excluded.language, priority = excluded.priority, active = 1,
          url = CASE WHEN sources.configured_url = excluded.configured_url THEN sources.url ELSE excluded.url END,
          etag = CASE WHEN sources.configured_url = excluded.configured_url THEN sources.etag END,
          last_modified = CASE WHEN sources.configured_url = excluded.configured_url THEN sources.last_modified END,
          next_due_at = CASE WHEN sources.configured_url = excluded.configured_url THEN sources.next_due_at
                             ELSE min(sources.next_due_at, excluded.next_due_at) END,
          configured_url = excluded.configured_url`);
      sources.forEach((s, position) =>
        upsert.run({
          id: s.id,
          position,
          url: s.url,
          name: s.name,
          country: s.country ?? null,
          language: s.language ?? null,
          priority: s.priority,
          now,
        }),
      );
      this.stmt(
        `UPDATE sources SET active = 0, lease_owner = NULL, lease_until = NULL
         WHERE active = 1 AND id NOT IN (SELECT value FROM json_each(?))`,
      ).run(JSON.stringify(sources.map((s) => s.id)));
    });
  }

  async sourceStates(): Promise<SourceState[]> {
    return this.read('sourceStates', () => {
      const rows = this.stmt(
        `SELECT s.*, (SELECT count(*) FROM items i WHERE i.source_id = s.id) AS item_count
         FROM sources s WHERE s.active = 1 ORDER BY s.position, s.id`,
      ).all() as (SourceRow & { item_count: number })[];
      return rows.map(rowToSourceState);
    });
  }

  async claimDueSources(options: ClaimOptions): Promise<SourceState[]> {
    return this.write('claimDueSources', () => {
      const rows = this.stmt(
        `UPDATE sources SET lease_owner = @worker, lease_until = @until
         WHERE id IN (
           SELECT id FROM sources
           WHERE active = 1 AND next_due_at <= @now AND (lease_until IS NULL OR lease_until <= @now)
           ORDER BY next_due_at, position, id LIMIT @limit)
         RETURNING *`,
      ).all({ worker: options.workerId, until: options.now + options.leaseMs, now: options.now, limit: options.limit }) as SourceRow[];
      return rows.sort(bySchedule).map(rowToSourceState);
    });
  }

  async recordSourceState(sourceId: string, update: SourceStateUpdate): Promise<void> {
    this.write('recordSourceState', () => this.writeState('recordSourceState', sourceId, update));
  }

  private writeState(op: string, sourceId: string, update: SourceStateUpdate): void {
    const assignments = stateAssignments(update);
    const sql = `UPDATE sources SET ${assignments.map(([c]) => `${c} = ?`).join(', ')} WHERE id = ?`;
    const info = this.stmt(sql).run(...assignments.map(([, v]) => v), sourceId);
    if (info.changes === 0) throw new StoreError(op, `store: unknown source ${JSON.stringify(sourceId)}; sync sources first`);
  }

  // ---------------------------------------------------------------- items

  async ingest(batch: IngestBatch): Promise<IngestResult> {
    return this.write('ingest', () => {
      const keys = collectIngestKeys(batch);
      const plan = planIngest(batch, this.lookup(batch.sourceId, keys));
      const insert = this.stmt(
        `INSERT INTO items (${ITEM_COLUMNS.join(', ')}) VALUES (${ITEM_COLUMNS.map((c) => `@${c}`).join(', ')})`,
      );
      const update = this.stmt(`UPDATE items SET ${ITEM_UPDATE_COLUMNS.map((c) => `${c} = @${c}`).join(', ')} WHERE id = @id`);
      const dropBands = this.stmt('DELETE FROM item_band WHERE item_id = ?');
      const addBand = this.stmt('INSERT OR IGNORE INTO item_band (band_key, published_at, item_id) VALUES (?, ?, ?)');
      for (const w of plan.writes) {
        const row = itemToRow(w.item, w.clusterId, w.urlKey, batch.now);
        if (w.isNew) insert.run(row);
        else {
          update.run(row);
          dropBands.run(w.item.id);
        }
        for (const key of new Set(w.item.sketch?.bandKeys ?? [])) addBand.run(key, w.item.publishedAt, w.item.id);
      }
      const changes = new TagChanges();
      this.refreshClusters(plan.touchedClusters, batch.now, changes);
      this.writeState('ingest', batch.sourceId, batch.state);
      return { ...plan.counts, changed: changes.result() };
    });
  }

  private lookup(sourceId: string, keys: IngestKeys): IngestLookups {
    const byId = new Map<string, ExistingItem>();
    const byIdStmt = this.stmt('SELECT cluster_id, content_hash, url, url_key FROM items WHERE id = ?');
    for (const id of keys.ids) {
      const row = byIdStmt.get(id) as { cluster_id: string; content_hash: string; url: string | null; url_key: string | null } | undefined;
      if (row) byId.set(id, { clusterId: row.cluster_id, contentHash: row.content_hash, url: row.url, ownsUrl: row.url_key !== null });
    }
    const byUrl = new Map<string, ItemRef>();
    const byUrlStmt = this.stmt(
      `SELECT id, cluster_id, published_at FROM items WHERE url = ?
       ORDER BY url_key IS NULL, first_seen_at, id LIMIT 1`,
    );
    for (const url of keys.urls) {
      const row = byUrlStmt.get(url) as { id: string; cluster_id: string; published_at: number } | undefined;
      if (row) byUrl.set(url, { itemId: row.id, clusterId: row.cluster_id, publishedAt: row.published_at });
    }
    const byTitleKey = new Map<string, ItemRef[]>();
    const byTitleStmt = this.stmt(
      `SELECT id, cluster_id, published_at FROM items
       WHERE source_id = ? AND title_key = ? AND published_at BETWEEN ? AND ?`,
    );
    for (const key of keys.titleKeys) {
      const rows = byTitleStmt.all(sourceId, key, keys.titleRange[0], keys.titleRange[1]) as {
        id: string;
        cluster_id: string;
        published_at: number;
      }[];
      if (rows.length > 0) byTitleKey.set(key, rows.map((r) => ({ itemId: r.id, clusterId: r.cluster_id, publishedAt: r.published_at })));
    }
    const bandCandidates: BandCandidate[] = [];
    const bandStmt = this.stmt(
      `SELECT b.band_key, i.id, i.cluster_id, i.source_id, i.published_at, i.sketch_signature, c.member_count
       FROM item_band b JOIN items i ON i.id = b.item_id JOIN clusters c ON c.id = i.cluster_id
       WHERE b.band_key = ? AND b.published_at BETWEEN ? AND ?`,
    );
    for (const key of keys.bandKeys) {
      for (const r of bandStmt.all(key, keys.bandRange[0], keys.bandRange[1]) as BandRow[]) bandCandidates.push(toCandidate(r));
    }
    const clusterSizes = new Map<string, number>();
    const clusterStmt = this.stmt('SELECT member_count FROM clusters WHERE id = ?');
    for (const id of keys.ids) {
      const row = clusterStmt.get(id) as { member_count: number } | undefined;
      if (row) clusterSizes.set(id, row.member_count);
    }
    return { byId, byUrl, byTitleKey, bandCandidates, clusterSizes };
  }

  /** Brings the given stories up to date with their members; returns how many were removed. */
  private refreshClusters(ids: Iterable<string>, now: number, changes: TagChanges): ClusterWrites {
    const list = JSON.stringify([...ids]);
    const countryRows = this.stmt(
      'SELECT cluster_id, country FROM cluster_country WHERE cluster_id IN (SELECT value FROM json_each(?))',
    ).all(list) as { cluster_id: string; country: string }[];
    const topicRows = this.stmt(
      'SELECT cluster_id, topic FROM cluster_topic WHERE cluster_id IN (SELECT value FROM json_each(?))',
    ).all(list) as { cluster_id: string; topic: string }[];
    const members = this.stmt(
      `SELECT id, cluster_id, published_at, updated_at, countries, topics FROM items
       WHERE cluster_id IN (SELECT value FROM json_each(?))`,
    ).all(list) as MemberTagRow[];
    const writes = recomputeClusters(JSON.parse(list) as string[], members, groupClusterTags(countryRows, topicRows), now, changes);

    const upsert = this.stmt(
      `INSERT INTO clusters (id, published_at, updated_at, changed_at, member_count)
       VALUES (@id, @published_at, @updated_at, @changed_at, @member_count)
       ON CONFLICT (id) DO UPDATE SET published_at = excluded.published_at, updated_at = excluded.updated_at,
         changed_at = excluded.changed_at, member_count = excluded.member_count`,
    );
    for (const c of writes.upserts) upsert.run(c);
    const del = this.stmt('DELETE FROM clusters WHERE id = ?');
    const delCountries = this.stmt('DELETE FROM cluster_country WHERE cluster_id = ?');
    const delTopics = this.stmt('DELETE FROM cluster_topic WHERE cluster_id = ?');
    for (const id of writes.deletes) {
      del.run(id);
      delCountries.run(id);
      delTopics.run(id);
    }
    const addCountry = this.stmt('INSERT OR IGNORE INTO cluster_country (cluster_id, country) VALUES (?, ?)');
    const removeCountry = this.stmt('DELETE FROM cluster_country WHERE cluster_id = ? AND country = ?');
    const addTopic = this.stmt('INSERT OR IGNORE INTO cluster_topic (cluster_id, topic) VALUES (?, ?)');
    const removeTopic = this.stmt('DELETE FROM cluster_topic WHERE cluster_id = ? AND topic = ?');
    for (const [id, c] of writes.removeCountries) removeCountry.run(id, c);
    for (const [id, c] of writes.addCountries) addCountry.run(id, c);
    for (const [id, t] of writes.removeTopics) removeTopic.run(id, t);
    for (const [id, t] of writes.addTopics) addTopic.run(id, t);
    return writes;
  }

  async prune(before: number): Promise<PruneResult> {
    return this.write('prune', () => {
      const touched = (this.stmt('SELECT DISTINCT cluster_id FROM items WHERE published_at < ?').all(before) as { cluster_id: string }[]).map(
        (r) => r.cluster_id,
      );
      if (touched.length === 0) return { itemsRemoved: 0, clustersRemoved: 0, changed: new TagChanges().result() };
      this.stmt('DELETE FROM item_band WHERE item_id IN (SELECT id FROM items WHERE published_at < ?)').run(before);
      const removed = this.stmt('DELETE FROM items WHERE published_at < ?').run(before).changes;
      const changes = new TagChanges();
      const writes = this.refreshClusters(touched, Date.now(), changes);
      return { itemsRemoved: removed, clustersRemoved: writes.deletes.length, changed: changes.result() };
    });
  }

  // ---------------------------------------------------------------- sections

  async sectionItems(filter: SectionFilter, limit: number): Promise<PublishedItem[]> {
    return this.read('sectionItems', () => {
      const { where, params } = sectionWhere(filter);
      const clusters = this.stmt(
        `SELECT id, published_at, updated_at, changed_at, member_count FROM clusters c ${where}
         ORDER BY c.published_at DESC, c.id LIMIT ?`,
      ).all(...params, Math.max(0, Math.floor(limit))) as ClusterRow[];
      if (clusters.length === 0) return [];
      const members = this.stmt(
        `SELECT ${PUBLISH_MEMBER_SELECT} FROM items i LEFT JOIN sources s ON s.id = i.source_id
         WHERE i.cluster_id IN (SELECT value FROM json_each(?))`,
      ).all(JSON.stringify(clusters.map((c) => c.id))) as PublishMemberRow[];
      return buildPublishedItems(clusters, members);
    });
  }

  async sectionStats(filter: SectionFilter): Promise<SectionStats> {
    return this.read('sectionStats', () => {
      const { where, params } = sectionWhere(filter);
      const row = this.stmt(`SELECT count(*) AS n, coalesce(max(c.published_at), 0) AS newest FROM clusters c ${where}`).get(
        ...params,
      ) as { n: number; newest: number };
      return { itemCount: row.n, updatedAt: row.newest };
    });
  }

  async tagCounts(): Promise<{ countries: Map<CountryCode, number>; topics: Map<TopicId, number> }> {
    return this.read('tagCounts', () => {
      const countries = this.stmt('SELECT country AS tag, count(*) AS n FROM cluster_country GROUP BY country ORDER BY country').all() as {
        tag: string;
        n: number;
      }[];
      const topics = this.stmt('SELECT topic AS tag, count(*) AS n FROM cluster_topic GROUP BY topic ORDER BY topic').all() as {
        tag: TopicId;
        n: number;
      }[];
      return { countries: new Map(countries.map((r) => [r.tag, r.n])), topics: new Map(topics.map((r) => [r.tag, r.n])) };
    });
  }

  // ---------------------------------------------------------------- passes and locks

  async recordPass(pass: PassRecord): Promise<void> {
    this.write('recordPass', () => {
      const info = this.stmt(`INSERT INTO passes (${PASS_COLUMNS.join(', ')}) VALUES (${PASS_COLUMNS.map((c) => `@${c}`).join(', ')})`).run(
        passToRow(pass),
      );
      this.stmt('DELETE FROM passes WHERE id <= ?').run(Number(info.lastInsertRowid) - PASSES_KEPT);
    });
  }

  async lastPass(): Promise<PassRecord | undefined> {
    return this.read('lastPass', () => {
      const row = this.stmt('SELECT * FROM passes ORDER BY finished_at DESC, id DESC LIMIT 1').get() as PassRow | undefined;
      return row ? rowToPass(row) : undefined;
    });
  }

  async acquireLock(name: string, owner: string, now: number, ttlMs: number): Promise<boolean> {
    return this.write('acquireLock', () => {
      const row = this.stmt(
        `INSERT INTO locks (name, owner, expires_at) VALUES (@name, @owner, @expires)
         ON CONFLICT (name) DO UPDATE SET owner = excluded.owner, expires_at = excluded.expires_at
         WHERE locks.owner = excluded.owner OR locks.expires_at <= @now
         RETURNING owner`,
      ).get({ name, owner, expires: now + ttlMs, now });
      return row !== undefined;
    });
  }

  async releaseLock(name: string, owner: string): Promise<void> {
    this.write('releaseLock', () => {
      this.stmt('DELETE FROM locks WHERE name = ? AND owner = ?').run(name, owner);
    });
  }

  async close(): Promise<void> {
    const db = this.db;
    this.db = undefined;
    this.statements.clear();
    if (db?.open) db.close();
  }

  // ---------------------------------------------------------------- copy support (used by copyStore)

  /** Rows of a table in key order, a page at a time. */
  async *dumpTable(table: string, keyColumns: readonly string[], pageSize = 2000): AsyncGenerator<Record<string, SqlValue>[]> {
    const rows = this.conn('dumpTable')
      .prepare(`SELECT * FROM ${table} ORDER BY ${keyColumns.join(', ')}`)
      .iterate() as IterableIterator<Record<string, SqlValue>>;
    let page: Record<string, SqlValue>[] = [];
    for (const row of rows) {
      page.push(row);
      if (page.length >= pageSize) {
        yield page;
        page = [];
      }
    }
    if (page.length > 0) yield page;
  }

  /** Inserts every page of every table in one transaction: a failed copy leaves the target as it was. */
  async loadTables(pages: AsyncIterable<{ table: string; columns: readonly string[]; rows: readonly Record<string, SqlValue>[] }>): Promise<void> {
    const db = this.conn('copy');
    // The pages arrive asynchronously, so this cannot be a better-sqlite3 transaction function; nothing else uses
    // this connection while a copy runs.
    db.exec('BEGIN IMMEDIATE');
    try {
      for await (const { table, columns, rows } of pages) {
        const insert = this.stmt(`INSERT INTO ${table} (${columns.join(', ')}) VALUES (${columns.map((c) => `@${c}`).join(', ')})`);
        for (const row of rows) insert.run(Object.fromEntries(columns.map((c) => [c, row[c] ?? null])));
      }
      db.exec('COMMIT');
    } catch (err) {
      if (db.inTransaction) db.exec('ROLLBACK');
      throw wrap('copy', err);
    }
  }

  /** Number of rows in a table. */
  async countRows(table: string): Promise<number> {
    return this.read('countRows', () => (this.stmt(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n);
  }

  // ---------------------------------------------------------------- plumbing

  private conn(op: string): Database.Database {
    if (!this.db) throw new StoreError(op, 'store: the store is closed');
    return this.db;
  }

  private stmt(sql: string): Statement {
    let s = this.statements.get(sql);
    if (!s) {
      s = this.conn('prepare').prepare(sql);
      this.statements.set(sql, s);
    }
    return s;
  }

  private read<T>(op: string, fn: () => T): T {
    try {
      this.conn(op);
      return fn();
    } catch (err) {
      throw wrap(op, err);
    }
  }

  /** Runs `fn` in an immediate (write-locked) transaction. */
  private write<T>(op: string, fn: () => T): T {
    try {
      return this.conn(op).transaction(fn).immediate();
    } catch (err) {
      throw wrap(op, err);
    }
  }
}

interface BandRow {
  band_key: string;
  id: string;
  cluster_id: string;
  source_id: string;
  published_at: number;
  sketch_signature: string | null;
  member_count: number;
}

function toCandidate(r: BandRow): BandCandidate {
  return {
    bandKey: r.band_key,
    itemId: r.id,
    clusterId: r.cluster_id,
    sourceId: r.source_id,
    publishedAt: r.published_at,
    signature: r.sketch_signature ?? '',
    clusterSize: r.member_count,
  };
}

/** The WHERE clause of a section over `clusters c`: any of its countries AND any of its topics. */
function sectionWhere(filter: SectionFilter): { where: string; params: string[] } {
  const conditions: string[] = [];
  const params: string[] = [];
  if (filter.countries.length > 0) {
    conditions.push('c.id IN (SELECT cluster_id FROM cluster_country WHERE country IN (SELECT value FROM json_each(?)))');
    params.push(JSON.stringify(filter.countries));
  }
  if (filter.topics.length > 0) {
    conditions.push('c.id IN (SELECT cluster_id FROM cluster_topic WHERE topic IN (SELECT value FROM json_each(?)))');
    params.push(JSON.stringify(filter.topics));
  }
  return { where: conditions.length > 0 ? `WHERE ${conditions.join(' AND ')}` : '', params };
}

function bySchedule(a: SourceRow, b: SourceRow): number {
  return a.next_due_at - b.next_due_at || a.position - b.position || (a.id < b.id ? -1 : 1);
}

function wrap(op: string, err: unknown): StoreError {
  if (err instanceof StoreError) return err;
  const message = err instanceof Error ? err.message : String(err);
  return new StoreError(op, `store: ${op} failed: ${message}`, { cause: err });
}
