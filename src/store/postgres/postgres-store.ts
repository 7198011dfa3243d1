import pg from 'pg';
import type { PoolClient } from 'pg';
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
import type { ClusterRow } from '../cluster-summary.js';
import { collectIngestKeys, pendingItems, planIngest } from '../ingest-plan.js';
import { buildPublishedItems, PUBLISH_MEMBER_SELECT } from '../published-items.js';
import type { PublishMemberRow } from '../published-items.js';
import {
  PASS_COLUMNS,
  PASSES_KEPT,
  passToRow,
  rowToPass,
  rowToSourceState,
  stateAssignments,
} from '../rows.js';
import type { PassRow, SourceRow, SqlValue } from '../rows.js';
import { assertSchemaNotNewer } from '../schema-version.js';
import { mergeNewest, planSection } from '../section-query.js';
import type { NewestRow, SectionPlan } from '../section-query.js';
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
import { runWrites } from './combined-writes.js';
import type { Write } from './combined-writes.js';
import {
  clusterLock,
  clusterWrites,
  dropSketches,
  EXISTING_SELECT,
  existingById,
  itemWrites,
  lookupIngestKeys,
  noLookups,
  planClusterRefresh,
} from './ingest-statements.js';
import { parsePostgresSpec } from './connection-spec.js';
import type { PostgresSpec } from './connection-spec.js';
import { ingestLockKeys } from './lock-keys.js';
import { POSTGRES_MIGRATIONS } from './migrations/index.js';

/** Latest schema version this build knows. */
export const POSTGRES_SCHEMA_VERSION = Math.max(...POSTGRES_MIGRATIONS.map((m) => m.version));

const INT8_OID = 20;
/** Times are UTC milliseconds, far below 2^53: `bigint` columns read as numbers. */
const types: pg.CustomTypesConfig = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === INT8_OID && format !== 'binary' ? (value: string) => Number(value) : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
};

const SESSION_OPTIONS = '-c synchronous_commit=off';

/** SQLSTATEs after which an ingest transaction is simply run again: deadlock, serialization, unique race. */
const RETRYABLE = new Set(['40P01', '40001', '23505']);
const MAX_ATTEMPTS = 6;

/** Advisory lock sub-keys under the schema's namespace key. */
const MIGRATE_LOCK = 1;
/** Ingests take it shared, prune exclusive: a prune never runs beside an ingest. */
const PRUNE_LOCK = 2;

/**
 * The shared store for several workers: PostgreSQL through a `pg` pool. Each operation is one transaction. Ingests
 * lock their batch's identity keys (rows of `ingest_lock_key`, in key order) before looking anything up, so two
 * workers ingesting copies of one story at the same moment see each other; sources are claimed with
 * `FOR UPDATE SKIP LOCKED`.
 */
export class PostgresStore implements Store {
  readonly kind = 'postgres' as const;
  private readonly pool: pg.Pool;
  private readonly log: Logger;
  private readonly spec: PostgresSpec;
  /** `hashtext('newsmux:' || schema)`: namespaces this store's advisory locks. */
  private namespace = 0;
  private closing: Promise<void> | undefined;

  private constructor(spec: PostgresSpec, log: Logger, poolSize: number) {
    this.spec = spec;
    this.log = log;
    this.pool = new pg.Pool({
      connectionString: spec.connectionString,
      // Everything here can be fetched again, so a commit need not wait for the disk: a database crash loses at most
      // the last moments of work (sources are fetched again), never consistency. Options in the URL come later and win.
      options: [SESSION_OPTIONS, spec.options].filter(Boolean).join(' '),
      max: poolSize,
      types,
      // pg-pool applies this both to connecting and to waiting for a free client: long enough that a database busy
      // for a while (a lock held elsewhere) slows a pass down instead of failing it.
      connectionTimeoutMillis: 60_000,
      idleTimeoutMillis: 30_000,
    });
    // An idle client losing its connection must not crash the process; the next query reports the failure.
    this.pool.on('error', (err) => this.log.warn({ err }, 'idle PostgreSQL connection failed'));
  }

  /** Connects, creates the schema when the URL names one, and applies migrations under an advisory lock. */
  static async open(specText: string, log: Logger, options: { poolSize?: number } = {}): Promise<PostgresStore> {
    const spec = parsePostgresSpec(specText);
    const store = new PostgresStore(spec, log, options.poolSize ?? 8);
    try {
      await store.migrate();
    } catch (err) {
      await store.pool.end().catch(() => undefined);
      if (err instanceof StoreError) throw err;
      throw new StoreError('open', `store: cannot open PostgreSQL store at ${spec.display}: ${(err as Error).message}`, { cause: err });
    }
    return store;
  }

  /** Current schema version (0 before the first migration). */
  async schemaVersion(): Promise<number> {
    return this.run('schemaVersion', async (client) => readVersion(client));
  }

  private async migrate(): Promise<void> {
    const client = await this.pool.connect();
    try {
      const { rows } = await client.query<{ schema: string | null }>('SELECT current_schema() AS schema');
      const schema = this.spec.schema ?? rows[0]?.schema;
      if (!schema) throw new StoreError('open', `store: no schema to create tables in at ${this.spec.display}; check search_path`);
      const ns = await client.query<{ ns: number }>(`SELECT hashtext('newsmux:' || $1::text) AS ns`, [schema]);
      this.namespace = ns.rows[0]?.ns ?? 0;
      await client.query('SELECT pg_advisory_lock($1, $2)', [this.namespace, MIGRATE_LOCK]);
      try {
        // Under the lock: workers starting together would otherwise race to create the schema.
        if (this.spec.schema) await client.query(`CREATE SCHEMA IF NOT EXISTS ${this.spec.schema}`);
        await client.query(
          'CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)',
        );
        const current = await readVersion(client);
        assertSchemaNotNewer(current, POSTGRES_SCHEMA_VERSION);
        for (const m of POSTGRES_MIGRATIONS) {
          if (m.version <= current) continue;
          await client.query('BEGIN');
          try {
            await client.query(m.sql);
            await client.query('INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)', [m.version, m.name, Date.now()]);
            await client.query('COMMIT');
          } catch (err) {
            await client.query('ROLLBACK').catch(() => undefined);
            throw new StoreError('open', `store: migration v${m.version} (${m.name}) failed: ${(err as Error).message}`, { cause: err });
          }
          this.log.info({ version: m.version, migration: m.name, schema }, 'store migrated');
        }
      } finally {
        await client.query('SELECT pg_advisory_unlock($1, $2)', [this.namespace, MIGRATE_LOCK]);
      }
    } finally {
      client.release();
    }
  }

  // ---------------------------------------------------------------- sources

  async syncSources(sources: readonly Source[], now: number): Promise<void> {
    await this.transaction('syncSources', async (client) => {
      const ids = sources.map((s) => s.id);
      const { rows } = await client.query<SourceRow>('SELECT * FROM sources WHERE id = ANY($1::text[])', [ids]);
      const stored = new Map(rows.map((r) => [r.id, r]));
      const fresh: Source[] = [];
      const changed: { s: Source; position: number }[] = [];
      sources.forEach((s, position) => {
        const r = stored.get(s.id);
        if (!r) fresh.push(s);
        else if (
          r.position !== position ||
          r.configured_url !== s.url ||
          r.name !== s.name ||
          r.country !== (s.country ?? null) ||
          r.language !== (s.language ?? null) ||
          r.priority !== s.priority ||
          r.active !== 1
        ) {
          changed.push({ s, position });
        }
      });
      const positions = new Map(sources.map((s, i) => [s.id, i]));
      if (fresh.length > 0) {
        await client.query(
          `INSERT INTO sources (id, position, configured_url, url, name, country, language, priority, active, next_due_at, added_at)
           SELECT id, position, url, url, name, country, language, priority, 1, 0, $8
           FROM unnest($1::text[], $2::int[], $3::text[], $4::text[], $5::text[], $6::text[], $7::int[])
             AS v(id, position, url, name, country, language, priority)
           ON CONFLICT (id) DO NOTHING`,
          [
            fresh.map((s) => s.id),
            fresh.map((s) => positions.get(s.id) ?? 0),
            fresh.map((s) => s.url),
            fresh.map((s) => s.name),
            fresh.map((s) => s.country ?? null),
            fresh.map((s) => s.language ?? null),
            fresh.map((s) => s.priority),
            now,
          ],
        );
      }
      if (changed.length > 0) {
        // Validators belong to a URL: a new configured URL starts over, fetched at once; a redirect is forgotten.
        // (Due at 0, not at `now`: a worker whose clock is a moment behind the one that synced must still see it due.)
        await client.query(
          `UPDATE sources s SET
             position = v.position, name = v.name, country = v.country, language = v.language, priority = v.priority,
             active = 1,
             url = CASE WHEN s.configured_url = v.url THEN s.url ELSE v.url END,
             etag = CASE WHEN s.configured_url = v.url THEN s.etag END,
             last_modified = CASE WHEN s.configured_url = v.url THEN s.last_modified END,
             next_due_at = CASE WHEN s.configured_url = v.url THEN s.next_due_at ELSE 0 END,
             configured_url = v.url
           FROM unnest($1::text[], $2::int[], $3::text[], $4::text[], $5::text[], $6::text[], $7::int[])
             AS v(id, position, url, name, country, language, priority)
           WHERE s.id = v.id`,
          [
            changed.map((c) => c.s.id),
            changed.map((c) => c.position),
            changed.map((c) => c.s.url),
            changed.map((c) => c.s.name),
            changed.map((c) => c.s.country ?? null),
            changed.map((c) => c.s.language ?? null),
            changed.map((c) => c.s.priority),
          ],
        );
      }
      await client.query(
        `UPDATE sources SET active = 0, lease_owner = NULL, lease_until = NULL
         WHERE active = 1 AND NOT (id = ANY($1::text[]))`,
        [ids],
      );
    });
  }

  async sourceStates(): Promise<SourceState[]> {
    return this.run('sourceStates', async (client) => {
      const { rows } = await client.query<SourceRow & { item_count: number }>(
        `SELECT s.*, (SELECT count(*) FROM items i WHERE i.source_id = s.id) AS item_count
         FROM sources s WHERE s.active = 1 ORDER BY s.position, s.id`,
      );
      return rows.map(rowToSourceState);
    });
  }

  async claimDueSources(options: ClaimOptions): Promise<SourceState[]> {
    // One statement, so atomic on its own: the rows it skips are being claimed by another worker right now.
    return this.run('claimDueSources', async (client) => {
      const { rows } = await client.query<SourceRow>(
        `UPDATE sources s SET lease_owner = $1, lease_until = $2
         FROM (
           SELECT id FROM sources
           WHERE active = 1 AND next_due_at <= $3 AND (lease_until IS NULL OR lease_until <= $3)
           ORDER BY next_due_at, position, id
           LIMIT $4
           FOR UPDATE SKIP LOCKED
         ) due
         WHERE s.id = due.id
         RETURNING s.*`,
        [options.workerId, options.now + options.leaseMs, options.now, Math.max(0, Math.floor(options.limit))],
      );
      return rows.sort(bySchedule).map(rowToSourceState);
    });
  }

  async recordSourceState(sourceId: string, update: SourceStateUpdate): Promise<void> {
    await this.run('recordSourceState', (client) => writeState(client, 'recordSourceState', sourceId, update));
  }

  // ---------------------------------------------------------------- items

  async ingest(batch: IngestBatch): Promise<IngestResult> {
    const ids = batch.items.map((i) => i.id);
    return this.transaction(
      'ingest',
      async (client, opened) => {
        const byId = existingById(opened[1]?.rows ?? []);
        const pending = pendingItems(batch, byId);
        if (pending.length > 0) {
          // Rows, not advisory locks: a batch can hold thousands of keys, more than the shared lock table allows.
          await client.query(
            `INSERT INTO ingest_lock_key (key) SELECT unnest($1::bigint[])
             ON CONFLICT (key) DO UPDATE SET key = excluded.key`,
            [ingestLockKeys(batch, pending)],
          );
        }
        // Under the locks, the lookup reads the pending items' rows again: a worker that held them may have stored
        // some meanwhile. Its keys can then be more than needed, which changes nothing.
        const lookups = pending.length > 0 ? await lookupIngestKeys(client, batch, collectIngestKeys(batch, pending), byId) : noLookups(byId);
        const plan = planIngest(batch, lookups);
        const updated = plan.writes.filter((w) => !w.isNew).map((w) => w.item.id);
        if (updated.length > 0) await dropSketches(client, 'item_id = ANY($1::text[])', [updated]);
        const touched = [...plan.touchedClusters].sort();
        await runWrites(client, [...itemWrites(plan.writes, batch.now), ...(touched.length > 0 ? [clusterLock(touched)] : [])]);
        const changes = new TagChanges();
        const clusters = await planClusterRefresh(client, touched, batch.now, changes);
        const [stateRows] = await runWrites(client, [...clusterWrites(clusters), stateWrite(batch.sourceId, batch.state)]);
        if (!stateRows) throw unknownSource('ingest', batch.sourceId);
        return { ...plan.counts, changed: changes.result() };
      },
      {
        attempts: MAX_ATTEMPTS,
        // With the BEGIN, in one round trip: the prune lock and the batch's stored rows (ids inlined, escaped by pg).
        opening: `SELECT pg_advisory_xact_lock_shared(${this.namespace}, ${PRUNE_LOCK}); ${EXISTING_SELECT} WHERE id = ANY(ARRAY[${ids.map((id) => pg.escapeLiteral(id)).join(', ')}]::text[])`,
      },
    );
  }

  async prune(before: number): Promise<PruneResult> {
    return this.transaction('prune', async (client) => {
      await client.query('SELECT pg_advisory_xact_lock($1, $2)', [this.namespace, PRUNE_LOCK]);
      const { rows } = await client.query<{ cluster_id: string }>('SELECT DISTINCT cluster_id FROM items WHERE published_at < $1', [before]);
      // No ingest runs now: the lock keys it left can go, whatever happens to items.
      await client.query('DELETE FROM ingest_lock_key');
      if (rows.length === 0) return { itemsRemoved: 0, clustersRemoved: 0, changed: new TagChanges().result() };
      await dropSketches(client, 'item_id IN (SELECT id FROM items WHERE published_at < $1)', [before]);
      const removed = await client.query('DELETE FROM items WHERE published_at < $1', [before]);
      const changes = new TagChanges();
      const touched = rows.map((r) => r.cluster_id).sort();
      await runWrites(client, [clusterLock(touched)]);
      const clusters = await planClusterRefresh(client, touched, Date.now(), changes);
      await runWrites(client, clusterWrites(clusters));
      return { itemsRemoved: removed.rowCount ?? 0, clustersRemoved: clusters.deletes.length, changed: changes.result() };
    });
  }

  // ---------------------------------------------------------------- sections

  async sectionItems(filter: SectionFilter, limit: number): Promise<PublishedItem[]> {
    return this.run('sectionItems', async (client) => {
      const n = Math.max(0, Math.floor(limit));
      if (n === 0) return [];
      const ids = await newestIds(client, planSection(filter), n);
      if (ids.length === 0) return [];
      const clusters = await client.query<ClusterRow>(
        'SELECT id, published_at, updated_at, changed_at, member_count FROM clusters WHERE id = ANY($1::text[])',
        [ids],
      );
      const order = new Map(ids.map((id, i) => [id, i]));
      const sorted = clusters.rows.sort((a, b) => (order.get(a.id) ?? 0) - (order.get(b.id) ?? 0));
      const members = await client.query<PublishMemberRow>(
        `SELECT ${PUBLISH_MEMBER_SELECT} FROM items i LEFT JOIN sources s ON s.id = i.source_id
         WHERE i.cluster_id = ANY($1::text[])`,
        [ids],
      );
      return buildPublishedItems(sorted, members.rows);
    });
  }

  async sectionStats(filter: SectionFilter): Promise<SectionStats> {
    return this.run('sectionStats', async (client) => {
      const plan = planSection(filter);
      const query =
        plan.by === 'all'
          ? { text: 'SELECT count(*) AS n, coalesce(max(published_at), 0) AS newest FROM clusters', values: [] as unknown[] }
          : plan.by === 'topic'
            ? {
                text: `SELECT count(DISTINCT cluster_id) AS n, coalesce(max(published_at), 0) AS newest FROM cluster_topic
                       WHERE topic = ANY($1::text[])`,
                values: [plan.topics],
              }
            : plan.topics.length === 0
              ? {
                  text: `SELECT count(DISTINCT cluster_id) AS n, coalesce(max(published_at), 0) AS newest FROM cluster_country
                         WHERE country = ANY($1::text[])`,
                  values: [plan.countries],
                }
              : {
                  text: `SELECT count(DISTINCT cc.cluster_id) AS n, coalesce(max(cc.published_at), 0) AS newest
                         FROM cluster_country cc
                         WHERE cc.country = ANY($1::text[])
                           AND EXISTS (SELECT 1 FROM cluster_topic ct WHERE ct.cluster_id = cc.cluster_id AND ct.topic = ANY($2::text[]))`,
                  values: [plan.countries, plan.topics],
                };
      const { rows } = await client.query<{ n: number; newest: number }>(query.text, query.values);
      return { itemCount: rows[0]?.n ?? 0, updatedAt: rows[0]?.newest ?? 0 };
    });
  }

  async tagCounts(): Promise<{ countries: Map<CountryCode, number>; topics: Map<TopicId, number> }> {
    return this.run('tagCounts', async (client) => {
      const countries = await client.query<{ tag: string; n: number }>(
        'SELECT country AS tag, count(*) AS n FROM cluster_country GROUP BY country ORDER BY country',
      );
      const topics = await client.query<{ tag: TopicId; n: number }>(
        'SELECT topic AS tag, count(*) AS n FROM cluster_topic GROUP BY topic ORDER BY topic',
      );
      return {
        countries: new Map(countries.rows.map((r) => [r.tag, r.n])),
        topics: new Map(topics.rows.map((r) => [r.tag, r.n])),
      };
    });
  }

  // ---------------------------------------------------------------- passes and locks

  async recordPass(pass: PassRecord): Promise<void> {
    await this.transaction('recordPass', async (client) => {
      const row = passToRow(pass);
      const { rows } = await client.query<{ id: number }>(
        `INSERT INTO passes (${PASS_COLUMNS.join(', ')}) VALUES (${PASS_COLUMNS.map((_, i) => `$${i + 1}`).join(', ')}) RETURNING id`,
        PASS_COLUMNS.map((c) => row[c]),
      );
      await client.query('DELETE FROM passes WHERE id <= $1', [(rows[0]?.id ?? 0) - PASSES_KEPT]);
    });
  }

  async lastPass(): Promise<PassRecord | undefined> {
    return this.run('lastPass', async (client) => {
      const { rows } = await client.query<PassRow>('SELECT * FROM passes ORDER BY finished_at DESC, id DESC LIMIT 1');
      return rows[0] ? rowToPass(rows[0]) : undefined;
    });
  }

  async acquireLock(name: string, owner: string, now: number, ttlMs: number): Promise<boolean> {
    return this.run('acquireLock', async (client) => {
      const { rowCount } = await client.query(
        `INSERT INTO locks (name, owner, expires_at) VALUES ($1, $2, $3)
         ON CONFLICT (name) DO UPDATE SET owner = excluded.owner, expires_at = excluded.expires_at
         WHERE locks.owner = excluded.owner OR locks.expires_at <= $4
         RETURNING owner`,
        [name, owner, now + ttlMs, now],
      );
      return (rowCount ?? 0) > 0;
    });
  }

  async releaseLock(name: string, owner: string): Promise<void> {
    await this.run('releaseLock', async (client) => {
      await client.query('DELETE FROM locks WHERE name = $1 AND owner = $2', [name, owner]);
    });
  }

  async locks(prefix: string): Promise<LockRecord[]> {
    return this.run('locks', async (client) => {
      const { rows } = await client.query<{ name: string; owner: string; expires_at: number }>(
        'SELECT name, owner, expires_at FROM locks WHERE left(name, length($1)) = $1 ORDER BY name',
        [prefix],
      );
      return rows.map((r) => ({ name: r.name, owner: r.owner, expiresAt: Number(r.expires_at) }));
    });
  }

  async close(): Promise<void> {
    this.closing ??= this.pool.end().catch((err: unknown) => this.log.warn({ err }, 'closing the PostgreSQL pool failed'));
    await this.closing;
  }

  // ---------------------------------------------------------------- copy support (used by copyStore)

  /** Rows of a table in key order, a page at a time (keyset pagination, so each page costs the same). */
  async *dumpTable(table: string, keyColumns: readonly string[], pageSize = 2000): AsyncGenerator<Record<string, SqlValue>[]> {
    const keys = keyColumns.join(', ');
    let last: SqlValue[] | undefined;
    for (;;) {
      const after = last ? `WHERE (${keys}) > (${keyColumns.map((_, i) => `$${i + 2}`).join(', ')})` : '';
      const rows: Record<string, SqlValue>[] = await this.run('dumpTable', async (client) => {
        const result = await client.query<Record<string, SqlValue>>(
          `SELECT * FROM ${table} ${after} ORDER BY ${keys} LIMIT $1`,
          [pageSize, ...(last ?? [])],
        );
        return result.rows;
      });
      if (rows.length === 0) return;
      yield rows;
      const tail = rows[rows.length - 1] as Record<string, SqlValue>;
      last = keyColumns.map((c) => tail[c] ?? null);
      if (rows.length < pageSize) return;
    }
  }

  /** Inserts every page of every table in one transaction: a failed copy leaves the target as it was. */
  async loadTables(pages: AsyncIterable<{ table: string; columns: readonly string[]; rows: readonly Record<string, SqlValue>[] }>): Promise<void> {
    await this.transaction('copy', async (client) => {
      for await (const page of pages) {
        const { table, columns, rows } = page;
        const perStatement = Math.max(1, Math.floor(30_000 / columns.length));
        for (let start = 0; start < rows.length; start += perStatement) {
          const chunk = rows.slice(start, start + perStatement);
          const values: SqlValue[] = [];
          const tuples = chunk.map((row) => `(${columns.map((c) => `$${values.push(row[c] ?? null)}`).join(', ')})`);
          await client.query(`INSERT INTO ${table} (${columns.join(', ')}) VALUES ${tuples.join(', ')}`, values);
        }
      }
      // The band index is not copied (SQLite keeps it in memory): derive it from the sketches.
      await client.query(
        `INSERT INTO item_band (band_key, published_at, item_id)
         SELECT jsonb_array_elements_text(band_keys::jsonb), published_at, item_id FROM item_sketch
         ON CONFLICT DO NOTHING`,
      );
    });
  }

  async countRows(table: string): Promise<number> {
    return this.run('countRows', async (client) => {
      const { rows } = await client.query<{ n: number }>(`SELECT count(*) AS n FROM ${table}`);
      return rows[0]?.n ?? 0;
    });
  }

  // ---------------------------------------------------------------- plumbing

  private async connect(op: string): Promise<PoolClient> {
    if (this.closing) throw new StoreError(op, 'store: the store is closed');
    try {
      return await this.pool.connect();
    } catch (err) {
      throw new StoreError(op, `store: cannot connect to PostgreSQL at ${this.spec.display}: ${(err as Error).message}`, { cause: err });
    }
  }

  /** One statement or a few reads, outside an explicit transaction. */
  private async run<T>(op: string, fn: (client: PoolClient) => Promise<T>): Promise<T> {
    const client = await this.connect(op);
    let broken: Error | undefined;
    try {
      return await fn(client);
    } catch (err) {
      if (isConnectionError(err)) broken = err as Error;
      throw wrap(op, err);
    } finally {
      client.release(broken);
    }
  }

  /**
   * Runs `fn` in a transaction, again (up to `attempts` times) when PostgreSQL reports a deadlock or a race.
   * `opening`, a statement without parameters, is sent with the BEGIN: one round trip fewer.
   */
  private async transaction<T>(
    op: string,
    fn: (client: PoolClient, opened: pg.QueryResult[]) => Promise<T>,
    { attempts = 3, opening = '' } = {},
  ): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      const client = await this.connect(op);
      let broken: Error | undefined;
      try {
        // Several statements in one query give one result each (the BEGIN's first).
        const opened = [await client.query(opening ? `BEGIN; ${opening}` : 'BEGIN')].flat() as pg.QueryResult[];
        const result = await fn(client, opened.slice(1));
        await client.query('COMMIT');
        return result;
      } catch (err) {
        try {
          await client.query('ROLLBACK');
        } catch (rollbackErr) {
          broken = rollbackErr as Error; // the connection is unusable: drop it from the pool
        }
        if (attempt < attempts && RETRYABLE.has(sqlState(err) ?? '')) {
          this.log.debug({ op, attempt, code: sqlState(err) }, 'store transaction retried');
          await sleep(5 * attempt + Math.random() * 20 * attempt);
          continue;
        }
        throw wrap(op, err);
      } finally {
        client.release(broken);
      }
    }
  }
}

async function readVersion(client: PoolClient): Promise<number> {
  const { rows } = await client.query<{ exists: boolean }>(`SELECT to_regclass('schema_migrations') IS NOT NULL AS exists`);
  if (!rows[0]?.exists) return 0;
  const v = await client.query<{ v: number | null }>('SELECT max(version) AS v FROM schema_migrations');
  return v.rows[0]?.v ?? 0;
}

async function writeState(client: PoolClient, op: string, sourceId: string, update: SourceStateUpdate): Promise<void> {
  const [rows] = await runWrites(client, [stateWrite(sourceId, update)]);
  if (!rows) throw unknownSource(op, sourceId);
}

function stateWrite(sourceId: string, update: SourceStateUpdate): Write {
  const assignments = stateAssignments(update);
  return {
    table: 'sources',
    sql: `UPDATE sources SET ${assignments.map(([c], i) => `${c} = $${i + 1}`).join(', ')} WHERE id = $${assignments.length + 1}`,
    params: [...assignments.map(([, v]) => v), sourceId],
    counted: true,
  };
}

function unknownSource(op: string, sourceId: string): StoreError {
  return new StoreError(op, `store: unknown source ${JSON.stringify(sourceId)}; sync sources first`);
}

/** The section's newest `limit` story ids, newest first: per tag, the newest `limit` from the (tag, time) index. */
async function newestIds(client: PoolClient, plan: SectionPlan, limit: number): Promise<string[]> {
  if (plan.by === 'all') {
    const { rows } = await client.query<{ id: string }>('SELECT id FROM clusters ORDER BY published_at DESC, id LIMIT $1', [limit]);
    return rows.map((r) => r.id);
  }
  const [table, column, values] =
    plan.by === 'country' ? (['cluster_country', 'country', plan.countries] as const) : (['cluster_topic', 'topic', plan.topics] as const);
  const topics = plan.by === 'country' && plan.topics.length > 0 ? plan.topics : undefined;
  const { rows } = await client.query<NewestRow>(
    `SELECT n.cluster_id, n.published_at FROM unnest($1::text[]) AS v(tag)
     CROSS JOIN LATERAL (
       SELECT t.cluster_id, t.published_at FROM ${table} t
       WHERE t.${column} = v.tag
         ${topics ? 'AND EXISTS (SELECT 1 FROM cluster_topic ct WHERE ct.cluster_id = t.cluster_id AND ct.topic = ANY($3::text[]))' : ''}
       ORDER BY t.published_at DESC, t.cluster_id
       LIMIT $2
     ) n`,
    topics ? [values, limit, topics] : [values, limit],
  );
  return mergeNewest([rows], limit);
}

function bySchedule(a: SourceRow, b: SourceRow): number {
  return a.next_due_at - b.next_due_at || a.position - b.position || (a.id < b.id ? -1 : 1);
}

function sqlState(err: unknown): string | undefined {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

/** True when the connection itself failed, so the pool should drop it rather than reuse it. */
function isConnectionError(err: unknown): boolean {
  const code = sqlState(err);
  if (code) return code.startsWith('08') || code.startsWith('57P') || code === 'ECONNRESET' || code === 'EPIPE';
  return err instanceof Error && /connection terminated|not queryable/i.test(err.message);
}

function wrap(op: string, err: unknown): StoreError {
  if (err instanceof StoreError) return err;
  const message = err instanceof Error ? err.message : String(err);
  return new StoreError(op, `store: ${op} failed: ${message}`, { cause: err });
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
