import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { Database } from './driver.js';
import type { Statement } from './driver.js';
import { StoreError } from '../../core/index.js';
import type {
  CountryCode,
  Logger,
  NearDuplicateIndex,
  NearDuplicateMatcher,
  PublishedItem,
  SectionFilter,
  Source,
  SourceState,
  SourceStateUpdate,
  TopicId,
} from '../../core/index.js';
import { groupClusterTags, recomputeClusters } from '../cluster-summary.js';
import type { ClusterRow, ClusterWrites, MemberTagRow } from '../cluster-summary.js';
import { collectIngestKeys, pendingItems, planIngest } from '../ingest-plan.js';
import type { ExistingItem, IngestLookups, IngestKeys, ItemRef } from '../ingest-plan.js';
import { buildPublishedItems, PUBLISH_MEMBER_SELECT } from '../published-items.js';
import type { PublishMemberRow } from '../published-items.js';
import {
  ITEM_COLUMNS,
  ITEM_UPDATE_COLUMNS,
  itemToRow,
  PASS_COLUMNS,
  parseKeyList,
  PASSES_KEPT,
  passToRow,
  rowToPass,
  rowToSourceState,
  SKETCH_COLUMNS,
  sketchToRow,
  stateAssignments,
} from '../rows.js';
import type { PassRow, SketchRow, SourceRow, SqlValue } from '../rows.js';
import { mergeNewest, planSection } from '../section-query.js';
import type { NewestRow, SectionPlan } from '../section-query.js';
import { assertSchemaNotNewer } from '../schema-version.js';
import type {
  ClaimOptions,
  IngestBatch,
  IngestResult,
  LockRecord,
  PassRecord,
  PruneResult,
  SectionStats,
  Store,
} from '../store.js';
import { TagChanges } from '../tag-changes.js';
import { GroupCommit } from './group-commit.js';
import { LoadedRanges } from './loaded-ranges.js';
import { SQLITE_MIGRATIONS } from './migrations/index.js';
import { wrap } from './store-error.js';

/** How long a writer waits for another process's write transaction before failing. */
const BUSY_TIMEOUT_MS = 15_000;

/** A band index and the publication times whose stored sketches it has loaded. */
interface LoadedBandIndex {
  readonly index: NearDuplicateIndex;
  readonly loaded: LoadedRanges;
}

/** Latest schema version this build knows. */
export const SQLITE_SCHEMA_VERSION = Math.max(...SQLITE_MIGRATIONS.map((m) => m.version));

/**
 * The embedded store: one SQLite file in WAL mode. better-sqlite3 is synchronous, so each operation runs to the
 * end without interleaving with others in this process; `BEGIN IMMEDIATE` and the busy timeout order writers
 * across processes.
 */
export class SqliteStore implements Store {
  readonly kind = 'sqlite' as const;
  private db: Database | undefined;
  private readonly statements = new Map<string, Statement>();
  private readonly log: Logger;
  /**
   * The near-duplicate band index: the stored sketches published in `loaded`, loaded as lookups need them (see
   * `bandIndex`), and every sketch this connection's ingests wrote since; dropped when another connection writes.
   */
  private bands: LoadedBandIndex | undefined;
  /** Per-source writes: many sources' batches share one commit. */
  private readonly group = new GroupCommit(
    (op) => this.conn(op),
    () => (this.bands = undefined),
  );
  /** `PRAGMA data_version` when `bands` was last known current. */
  private dataVersion = -1;

  private constructor(db: Database, log: Logger) {
    this.db = db;
    this.log = log;
  }

  /** Opens (creating the file and its folder when missing) and migrates the store at `path`. */
  static open(path: string, log: Logger): SqliteStore {
    let db: Database;
    try {
      if (path !== ':memory:' && !path.startsWith('file:')) mkdirSync(dirname(path), { recursive: true });
      db = new Database(path, { timeout: BUSY_TIMEOUT_MS });
      db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
      db.pragma('journal_mode = WAL');
      db.pragma('synchronous = NORMAL');
      // 16 MiB of page cache: the story tags and the recent items' index pages stay in memory during a pass. 64 MiB
      // made a cold pass over 1,000 feeds no faster (the operating system caches the file too) and its peak 60 MB higher.
      db.pragma('cache_size = -16384');
      db.pragma('wal_autocheckpoint = 10000');
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
        VALUES (@id, @position, @url, @url, @name, @country, @language, @priority, 1, 0, @now)
        ON CONFLICT (id) DO UPDATE SET
          position = excluded.position, name = excluded.name, country = excluded.country,
          language = excluded.language, priority = excluded.priority, active = 1,
          url = CASE WHEN sources.configured_url = excluded.configured_url THEN sources.url ELSE excluded.url END,
          etag = CASE WHEN sources.configured_url = excluded.configured_url THEN sources.etag END,
          last_modified = CASE WHEN sources.configured_url = excluded.configured_url THEN sources.last_modified END,
          next_due_at = CASE WHEN sources.configured_url = excluded.configured_url THEN sources.next_due_at ELSE 0 END,
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
    return this.group.run('recordSourceState', () => this.writeState('recordSourceState', sourceId, update));
  }

  private writeState(op: string, sourceId: string, update: SourceStateUpdate): void {
    const assignments = stateAssignments(update);
    const sql = `UPDATE sources SET ${assignments.map(([c]) => `${c} = ?`).join(', ')} WHERE id = ?`;
    const info = this.stmt(sql).run(...assignments.map(([, v]) => v), sourceId);
    if (info.changes === 0) throw new StoreError(op, `store: unknown source ${JSON.stringify(sourceId)}; sync sources first`);
  }

  // ---------------------------------------------------------------- items

  async ingest(batch: IngestBatch): Promise<IngestResult> {
    return this.group.run('ingest', () => {
      this.noticeOtherWriters();
      // A batch without a near-duplicate policy would leave the index behind the table.
      if (!batch.nearDuplicates) this.bands = undefined;
      const byId = this.readExisting(batch.items.map((i) => i.id));
      const keys = collectIngestKeys(batch, pendingItems(batch, byId));
      const plan = planIngest(batch, this.lookup(batch, keys, byId));
      const insert = this.stmt(
        `INSERT INTO items (${ITEM_COLUMNS.join(', ')}) VALUES (${ITEM_COLUMNS.map((c) => `@${c}`).join(', ')})`,
      );
      const update = this.stmt(`UPDATE items SET ${ITEM_UPDATE_COLUMNS.map((c) => `${c} = @${c}`).join(', ')} WHERE id = @id`);
      const updated = plan.writes.filter((w) => !w.isNew).map((w) => w.item.id);
      if (updated.length > 0) {
        this.stmt('DELETE FROM item_sketch WHERE item_id IN (SELECT value FROM json_each(?))').run(JSON.stringify(updated));
      }
      const addSketch = this.stmt(
        `INSERT INTO item_sketch (${SKETCH_COLUMNS.join(', ')}) VALUES (${SKETCH_COLUMNS.map((c) => `@${c}`).join(', ')})`,
      );
      for (const w of plan.writes) {
        const row = itemToRow(w.item, w.clusterId, w.urlKey, batch.now);
        if (w.isNew) insert.run(row);
        else update.run(row);
        const sketch = sketchToRow(w.item, w.clusterId);
        if (sketch) addSketch.run(sketch);
      }
      const changes = new TagChanges();
      this.refreshClusters(plan.touchedClusters, batch.now, changes);
      this.writeState('ingest', batch.sourceId, batch.state);
      return { ...plan.counts, changed: changes.result() };
    });
  }

  /**
   * Drops the in-memory band index when another connection (another process) wrote since this one last looked.
   * Called inside write transactions, so nobody else can write until this one ends.
   */
  private noticeOtherWriters(): void {
    const version = this.conn('ingest').pragma('data_version', { simple: true }) as number;
    if (version !== this.dataVersion) {
      this.bands = undefined;
      this.dataVersion = version;
    }
  }

  /**
   * The band index, holding every stored sketch in the batch's near-duplicate windows (see `bands`): what it lacks of
   * them is loaded now, so each sketch is read at most once per index, and only when some item can reach it. A pass
   * over items published lately loads the last few days; an old item seen for the first time, the days around it.
   */
  private bandIndex(matcher: NearDuplicateMatcher, windows: IngestKeys['bandWindows']): NearDuplicateIndex {
    const bands = (this.bands ??= { index: matcher.createIndex(), loaded: new LoadedRanges() });
    for (const [from, to] of windows) for (const [a, b] of bands.loaded.missing(from, to + 1)) this.loadSketches(bands, a, b);
    return bands.index;
  }

  /** Adds the stored sketches published in [from, to) that the index does not hold yet. */
  private loadSketches({ index, loaded }: LoadedBandIndex, from: number, to: number): void {
    const rows = this.stmt(`SELECT ${SKETCH_COLUMNS.join(', ')} FROM item_sketch WHERE published_at >= ? AND published_at < ?`).iterate(
      from,
      to,
    ) as IterableIterator<SketchRow>;
    for (const r of rows) {
      if (index.has(r.item_id)) continue;
      index.add(
        { itemId: r.item_id, clusterId: r.cluster_id, sourceId: r.source_id, publishedAt: r.published_at, signature: r.signature },
        parseKeyList(r.band_keys),
      );
    }
    loaded.add(from, to);
  }

  /** The stored rows with these item ids. */
  private readExisting(ids: readonly string[]): Map<string, ExistingItem> {
    const byId = new Map<string, ExistingItem>();
    const rows = this.stmt(
      'SELECT id, cluster_id, content_hash, url, url_key FROM items WHERE id IN (SELECT value FROM json_each(?))',
    ).all(JSON.stringify(ids)) as { id: string; cluster_id: string; content_hash: string; url: string | null; url_key: string | null }[];
    for (const r of rows) byId.set(r.id, { clusterId: r.cluster_id, contentHash: r.content_hash, url: r.url, ownsUrl: r.url_key !== null });
    return byId;
  }

  /** Reads what the pending items' keys match, one statement per kind of key. */
  private lookup(batch: IngestBatch, keys: IngestKeys, byId: ReadonlyMap<string, ExistingItem>): IngestLookups {
    const sourceId = batch.sourceId;
    const byUrl = new Map<string, ItemRef>();
    if (keys.urls.length > 0) {
      const rows = this.stmt(
        `SELECT url, id, cluster_id, published_at FROM items WHERE url IN (SELECT value FROM json_each(?))
         ORDER BY url, url_key IS NULL, first_seen_at, id`,
      ).all(JSON.stringify(keys.urls)) as { url: string; id: string; cluster_id: string; published_at: number }[];
      for (const r of rows) {
        if (!byUrl.has(r.url)) byUrl.set(r.url, { itemId: r.id, clusterId: r.cluster_id, publishedAt: r.published_at });
      }
    }

    const byTitleKey = new Map<string, ItemRef[]>();
    if (keys.titleKeys.length > 0) {
      const rows = this.stmt(
        `SELECT title_key, id, cluster_id, published_at FROM items
         WHERE source_id = ? AND title_key IN (SELECT value FROM json_each(?)) AND published_at BETWEEN ? AND ?`,
      ).all(sourceId, JSON.stringify(keys.titleKeys), keys.titleRange[0], keys.titleRange[1]) as {
        title_key: string;
        id: string;
        cluster_id: string;
        published_at: number;
      }[];
      for (const r of rows) {
        let refs = byTitleKey.get(r.title_key);
        if (!refs) byTitleKey.set(r.title_key, (refs = []));
        refs.push({ itemId: r.id, clusterId: r.cluster_id, publishedAt: r.published_at });
      }
    }

    const clusterSize = this.stmt('SELECT member_count FROM clusters WHERE id = ?').pluck();
    return {
      byId,
      byUrl,
      byTitleKey,
      // Even a batch with nothing to look up keeps the index current (an updated item may have lost its sketch).
      nearIndex: batch.nearDuplicates
        ? this.bandIndex(batch.nearDuplicates, keys.bandWindows)
        : undefined,
      clusterSize: (id) => clusterSize.get(id) as number | undefined,
    };
  }

  /** Brings the given stories up to date with their members. */
  private refreshClusters(ids: Iterable<string>, now: number, changes: TagChanges): ClusterWrites {
    const idList = [...new Set(ids)];
    const list = JSON.stringify(idList);
    const countryRows = this.stmt(
      'SELECT cluster_id, country, published_at FROM cluster_country WHERE cluster_id IN (SELECT value FROM json_each(?))',
    ).all(list) as { cluster_id: string; country: string; published_at: number }[];
    const topicRows = this.stmt(
      'SELECT cluster_id, topic, published_at FROM cluster_topic WHERE cluster_id IN (SELECT value FROM json_each(?))',
    ).all(list) as { cluster_id: string; topic: string; published_at: number }[];
    const members = this.stmt(
      `SELECT id, cluster_id, published_at, updated_at, countries, topics FROM items
       WHERE cluster_id IN (SELECT value FROM json_each(?))`,
    ).all(list) as MemberTagRow[];
    const writes = recomputeClusters(idList, members, groupClusterTags(countryRows, topicRows), now, changes);

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
    const retimeCountries = this.stmt('UPDATE cluster_country SET published_at = ? WHERE cluster_id = ?');
    const retimeTopics = this.stmt('UPDATE cluster_topic SET published_at = ? WHERE cluster_id = ?');
    for (const [id, at] of writes.retime) {
      retimeCountries.run(at, id);
      retimeTopics.run(at, id);
    }
    const addCountry = this.stmt('INSERT OR REPLACE INTO cluster_country (cluster_id, country, published_at) VALUES (?, ?, ?)');
    const removeCountry = this.stmt('DELETE FROM cluster_country WHERE cluster_id = ? AND country = ?');
    const addTopic = this.stmt('INSERT OR REPLACE INTO cluster_topic (cluster_id, topic, published_at) VALUES (?, ?, ?)');
    const removeTopic = this.stmt('DELETE FROM cluster_topic WHERE cluster_id = ? AND topic = ?');
    for (const [id, c] of writes.removeCountries) removeCountry.run(id, c);
    for (const [id, c, at] of writes.addCountries) addCountry.run(id, c, at);
    for (const [id, t] of writes.removeTopics) removeTopic.run(id, t);
    for (const [id, t, at] of writes.addTopics) addTopic.run(id, t, at);
    return writes;
  }

  async prune(before: number): Promise<PruneResult> {
    const { result, removed } = this.write('prune', () => {
      this.noticeOtherWriters();
      // Not `SELECT DISTINCT cluster_id …`: for that, SQLite's planner walks the whole cluster index and reads every
      // row (0.2 s a pass over 50,000 stored items, seconds over a million) rather than search by publication time.
      const rows = this.stmt('SELECT id, cluster_id FROM items WHERE published_at < ?').all(before) as { id: string; cluster_id: string }[];
      if (rows.length === 0) return { result: { itemsRemoved: 0, clustersRemoved: 0, changed: new TagChanges().result() }, removed: [] };
      const old = rows.map((r) => r.id);
      const touched = new Set(rows.map((r) => r.cluster_id));
      this.stmt('DELETE FROM item_sketch WHERE item_id IN (SELECT value FROM json_each(?))').run(JSON.stringify(old));
      const count = this.stmt('DELETE FROM items WHERE published_at < ?').run(before).changes;
      const changes = new TagChanges();
      const writes = this.refreshClusters(touched, Date.now(), changes);
      return { result: { itemsRemoved: count, clustersRemoved: writes.deletes.length, changed: changes.result() }, removed: old };
    });
    if (this.bands) for (const id of removed) this.bands.index.remove(id);
    return result;
  }

  // ---------------------------------------------------------------- sections

  async sectionItems(filter: SectionFilter, limit: number): Promise<PublishedItem[]> {
    return this.read('sectionItems', () => {
      const n = Math.max(0, Math.floor(limit));
      if (n === 0) return [];
      const ids = this.newestIds(planSection(filter), n);
      if (ids.length === 0) return [];
      const list = JSON.stringify(ids);
      const rows = this.stmt(
        'SELECT id, published_at, updated_at, changed_at, member_count FROM clusters WHERE id IN (SELECT value FROM json_each(?))',
      ).all(list) as ClusterRow[];
      const order = new Map(ids.map((id, i) => [id, i]));
      const clusters = rows.sort((a, b) => (order.get(a.id) ?? 0) - (order.get(b.id) ?? 0));
      const members = this.stmt(
        `SELECT ${PUBLISH_MEMBER_SELECT} FROM items i LEFT JOIN sources s ON s.id = i.source_id
         WHERE i.cluster_id IN (SELECT value FROM json_each(?))`,
      ).all(list) as PublishMemberRow[];
      return buildPublishedItems(clusters, members);
    });
  }

  /** The section's newest `limit` story ids, newest first. */
  private newestIds(plan: SectionPlan, limit: number): string[] {
    if (plan.by === 'all') {
      const rows = this.stmt('SELECT id FROM clusters ORDER BY published_at DESC, id LIMIT ?').all(limit) as { id: string }[];
      return rows.map((r) => r.id);
    }
    const [table, column, values] =
      plan.by === 'country' ? (['cluster_country', 'country', plan.countries] as const) : (['cluster_topic', 'topic', plan.topics] as const);
    const alsoTopics = plan.by === 'country' && plan.topics.length > 0;
    const stmt = this.stmt(
      `SELECT cluster_id, published_at FROM ${table} t WHERE t.${column} = ?
       ${alsoTopics ? 'AND EXISTS (SELECT 1 FROM cluster_topic ct WHERE ct.cluster_id = t.cluster_id AND ct.topic IN (SELECT value FROM json_each(?)))' : ''}
       ORDER BY t.published_at DESC, t.cluster_id LIMIT ?`,
    );
    const topics = plan.by === 'country' ? JSON.stringify(plan.topics) : '[]';
    const lists = values.map((v) => (alsoTopics ? stmt.all(v, topics, limit) : stmt.all(v, limit)) as NewestRow[]);
    return mergeNewest(lists, limit);
  }

  async sectionStats(filter: SectionFilter): Promise<SectionStats> {
    return this.read('sectionStats', () => {
      const plan = planSection(filter);
      let row: { n: number; newest: number };
      if (plan.by === 'all') {
        row = this.stmt('SELECT count(*) AS n, coalesce(max(published_at), 0) AS newest FROM clusters').get() as typeof row;
      } else if (plan.by === 'topic') {
        row = this.stmt(
          `SELECT count(DISTINCT cluster_id) AS n, coalesce(max(published_at), 0) AS newest FROM cluster_topic
           WHERE topic IN (SELECT value FROM json_each(?))`,
        ).get(JSON.stringify(plan.topics)) as typeof row;
      } else if (plan.topics.length === 0) {
        row = this.stmt(
          `SELECT count(DISTINCT cluster_id) AS n, coalesce(max(published_at), 0) AS newest FROM cluster_country
           WHERE country IN (SELECT value FROM json_each(?))`,
        ).get(JSON.stringify(plan.countries)) as typeof row;
      } else {
        row = this.stmt(
          `SELECT count(DISTINCT cc.cluster_id) AS n, coalesce(max(cc.published_at), 0) AS newest FROM cluster_country cc
           WHERE cc.country IN (SELECT value FROM json_each(?))
             AND EXISTS (SELECT 1 FROM cluster_topic ct WHERE ct.cluster_id = cc.cluster_id AND ct.topic IN (SELECT value FROM json_each(?)))`,
        ).get(JSON.stringify(plan.countries), JSON.stringify(plan.topics)) as typeof row;
      }
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

  async locks(prefix: string): Promise<LockRecord[]> {
    return this.read('locks', () => {
      const rows = this.stmt('SELECT name, owner, expires_at FROM locks WHERE substr(name, 1, length(?)) = ? ORDER BY name').all(prefix, prefix) as {
        name: string;
        owner: string;
        expires_at: number;
      }[];
      return rows.map((r) => ({ name: r.name, owner: r.owner, expiresAt: r.expires_at }));
    });
  }

  async close(): Promise<void> {
    this.group.drain();
    this.group.commit();
    const failure = this.group.takeFailure();
    const db = this.db;
    this.db = undefined;
    this.statements.clear();
    if (db?.open) db.close();
    if (failure) throw failure;
  }

  // ---------------------------------------------------------------- copy support (used by copyStore)

  /** Rows of a table in key order, a page at a time. */
  async *dumpTable(table: string, keyColumns: readonly string[], pageSize = 2000): AsyncGenerator<Record<string, SqlValue>[]> {
    this.settleGroups();
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
    this.settleGroups();
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
    } finally {
      this.bands = undefined;
    }
  }

  /** Number of rows in a table. */
  async countRows(table: string): Promise<number> {
    return this.read('countRows', () => (this.stmt(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n);
  }

  // ---------------------------------------------------------------- plumbing

  private conn(op: string): Database {
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

  /** Commits the open groups of this process first (see `GroupCommit`), throwing a commit failure of this store's. */
  private settleGroups(): void {
    GroupCommit.commitAll();
    const failure = this.group.takeFailure();
    if (failure) throw failure;
  }

  private read<T>(op: string, fn: () => T): T {
    try {
      this.conn(op);
      this.settleGroups();
      return fn();
    } catch (err) {
      throw wrap(op, err);
    }
  }

  /** Runs `fn` in an immediate (write-locked) transaction. */
  private write<T>(op: string, fn: () => T): T {
    try {
      this.settleGroups();
      return this.conn(op).transaction(fn).immediate();
    } catch (err) {
      // The band index may have been loaded or used inside the failed transaction; rebuild it from the table.
      this.bands = undefined;
      throw wrap(op, err);
    }
  }
}

function bySchedule(a: SourceRow, b: SourceRow): number {
  return a.next_due_at - b.next_due_at || a.position - b.position || (a.id < b.id ? -1 : 1);
}

