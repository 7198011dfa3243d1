import type { PoolClient } from 'pg';
import type { NearDuplicateCandidate, NearDuplicateIndex } from '../../core/index.js';
import { groupClusterTags, recomputeClusters } from '../cluster-summary.js';
import type { ClusterWrites, MemberTagRow } from '../cluster-summary.js';
import type { ExistingItem, IngestKeys, IngestLookups, ItemRef, PlannedWrite } from '../ingest-plan.js';
import { ITEM_COLUMNS, ITEM_INTEGER_COLUMNS, ITEM_UPDATE_COLUMNS, itemToRow, SKETCH_COLUMNS, sketchToRow } from '../rows.js';
import type { ItemRow } from '../rows.js';
import type { IngestBatch } from '../store.js';
import type { TagChanges } from '../tag-changes.js';
import type { Write } from './combined-writes.js';

// The statements of one PostgreSQL ingest, apart from its transaction: what it reads for the batch's keys, and the
// item, sketch, band and story rows it writes (as `Write`s that `runWrites` sends together).

/** The item, sketch and band rows of planned writes (sketches of updated items were dropped before). */
export function itemWrites(writes: readonly PlannedWrite[], now: number): Write[] {
  const rows = writes.map((w) => itemToRow(w.item, w.clusterId, w.urlKey, now));
  if (rows.length === 0) return [];
  const result: Write[] = [
    {
      table: 'items',
      sql: `INSERT INTO items (${ITEM_COLUMNS.join(', ')})
            SELECT * FROM unnest(${ITEM_COLUMNS.map((c, i) => `$${i + 1}::${ITEM_INTEGER_COLUMNS.has(c) ? 'bigint' : 'text'}[]`).join(', ')})
            ON CONFLICT (id) DO UPDATE SET ${ITEM_UPDATE_COLUMNS.map((c) => `${c} = excluded.${c}`).join(', ')}`,
      params: ITEM_COLUMNS.map((c) => rows.map((r) => r[c as keyof ItemRow])),
    },
  ];
  const sketches = writes.flatMap((w) => sketchToRow(w.item, w.clusterId) ?? []);
  if (sketches.length > 0) {
    result.push(
      {
        table: 'item_sketch',
        sql: `INSERT INTO item_sketch (${SKETCH_COLUMNS.join(', ')})
              SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::bigint[], $5::text[], $6::text[])`,
        params: SKETCH_COLUMNS.map((c) => sketches.map((r) => r[c])),
      },
      {
        table: 'item_band',
        sql: `INSERT INTO item_band (band_key, published_at, item_id)
              SELECT jsonb_array_elements_text(v.band_keys::jsonb), v.published_at, v.item_id
              FROM unnest($1::text[], $2::bigint[], $3::text[]) AS v(band_keys, published_at, item_id)
              ON CONFLICT DO NOTHING`,
        params: [sketches.map((r) => r.band_keys), sketches.map((r) => r.published_at), sketches.map((r) => r.item_id)],
      },
    );
  }
  return result;
}

export const EXISTING_SELECT = 'SELECT id, cluster_id, content_hash, url, url_key FROM items';

/** Stored rows of {@link EXISTING_SELECT}, by item id. */
export function existingById(rows: readonly { id: string; cluster_id: string; content_hash: string; url: string | null; url_key: string | null }[]): Map<string, ExistingItem> {
  return new Map(rows.map((r) => [r.id, { clusterId: r.cluster_id, contentHash: r.content_hash, url: r.url, ownsUrl: r.url_key !== null }]));
}

/** What an ingest whose items are all stored unchanged needs to know: only their rows. */
export function noLookups(byId: ReadonlyMap<string, ExistingItem>): IngestLookups {
  return { byId, byUrl: new Map(), byTitleKey: new Map(), clusterSize: () => undefined };
}

/**
 * Reads what the pending items' keys match, in one round trip (each kind of key a JSON array): the rows with the
 * pending ids (again: `byId` was read before the locks), stories with those ids, one item per canonical URL, the
 * source's items by title key, and, with a near-duplicate policy, the stored sketches sharing the batch's band keys
 * (each under the keys it shares, which is all counting bands needs).
 */
export async function lookupIngestKeys(
  client: PoolClient,
  batch: IngestBatch,
  keys: IngestKeys,
  byIdBefore: ReadonlyMap<string, ExistingItem>,
): Promise<IngestLookups> {
  const bandKeys = batch.nearDuplicates ? keys.bandKeys : [];
  // One range for the statement: from the first window's start to the last one's end (rows outside every window are
  // left out by the band index's own window check).
  const bandFrom = keys.bandWindows[0]?.[0] ?? 0;
  const bandTo = keys.bandWindows.at(-1)?.[1] ?? -1;
  const { rows } = await client.query<{
    existing: [id: string, clusterId: string, contentHash: string, url: string | null, ownsUrl: boolean][];
    clusters: [id: string, memberCount: number][];
    urls: [url: string, id: string, clusterId: string, publishedAt: number][];
    titles: [titleKey: string, id: string, clusterId: string, publishedAt: number][];
    bands: [bandKey: string, id: string, clusterId: string, sourceId: string, publishedAt: number, signature: string, memberCount: number][];
  }>(
    `SELECT
       (SELECT coalesce(json_agg(json_build_array(id, cluster_id, content_hash, url, url_key IS NOT NULL)), '[]')
          FROM items WHERE id = ANY($1::text[])) AS existing,
       (SELECT coalesce(json_agg(json_build_array(id, member_count)), '[]') FROM clusters WHERE id = ANY($1::text[])) AS clusters,
       (SELECT coalesce(json_agg(json_build_array(url, id, cluster_id, published_at)), '[]') FROM (
          SELECT DISTINCT ON (url) url, id, cluster_id, published_at FROM items WHERE url = ANY($2::text[])
          ORDER BY url, url_key IS NULL, first_seen_at, id) first_by_url) AS urls,
       (SELECT coalesce(json_agg(json_build_array(title_key, id, cluster_id, published_at) ORDER BY published_at, id), '[]')
          FROM items WHERE source_id = $3 AND title_key = ANY($4::text[]) AND published_at BETWEEN $5 AND $6) AS titles,
       (SELECT coalesce(json_agg(json_build_array(b.band_key, s.item_id, s.cluster_id, s.source_id, s.published_at, s.signature, c.member_count)), '[]')
          FROM item_band b
          -- One primary-key probe per band row: OFFSET 0 keeps the planner from flattening these into a hash join,
          -- which it picks while a cold pass outgrows the table's statistics and which scans every sketch per ingest.
          CROSS JOIN LATERAL (SELECT * FROM item_sketch WHERE item_id = b.item_id OFFSET 0) s
          CROSS JOIN LATERAL (SELECT member_count FROM clusters WHERE id = s.cluster_id OFFSET 0) c
          WHERE b.band_key = ANY($7::text[]) AND b.published_at BETWEEN $8 AND $9) AS bands`,
    [keys.ids, keys.urls, batch.sourceId, keys.titleKeys, keys.titleRange[0], keys.titleRange[1], bandKeys, bandFrom, bandTo],
  );
  const found = rows[0] ?? { existing: [], clusters: [], urls: [], titles: [], bands: [] };
  const byId = new Map(byIdBefore);
  for (const id of keys.ids) byId.delete(id);
  for (const [id, clusterId, contentHash, url, ownsUrl] of found.existing) byId.set(id, { clusterId, contentHash, url, ownsUrl });
  const clusterSizes = new Map(found.clusters);
  const byUrl = new Map<string, ItemRef>(found.urls.map(([url, itemId, clusterId, publishedAt]) => [url, { itemId, clusterId, publishedAt }]));
  const byTitleKey = new Map<string, ItemRef[]>();
  for (const [titleKey, itemId, clusterId, publishedAt] of found.titles) {
    let refs = byTitleKey.get(titleKey);
    if (!refs) byTitleKey.set(titleKey, (refs = []));
    refs.push({ itemId, clusterId, publishedAt });
  }
  let nearIndex: NearDuplicateIndex | undefined;
  if (batch.nearDuplicates && bandKeys.length > 0) {
    const byItem = new Map<string, { entry: NearDuplicateCandidate; bandKeys: string[] }>();
    for (const [bandKey, itemId, clusterId, sourceId, publishedAt, signature, memberCount] of found.bands) {
      let sketched = byItem.get(itemId);
      if (!sketched) byItem.set(itemId, (sketched = { entry: { itemId, clusterId, sourceId, publishedAt, signature }, bandKeys: [] }));
      sketched.bandKeys.push(bandKey);
      if (!clusterSizes.has(clusterId)) clusterSizes.set(clusterId, memberCount);
    }
    nearIndex = batch.nearDuplicates.createIndex();
    for (const { entry, bandKeys: shared } of byItem.values()) nearIndex.add(entry, shared);
  }
  return { byId, byUrl, byTitleKey, nearIndex, clusterSize: (id) => clusterSizes.get(id) };
}

/**
 * Locks stored stories, in id order, so that two workers adding members to one story at once write the union of both:
 * the second reads the members after the first committed.
 */
export function clusterLock(ids: readonly string[]): Write {
  return { table: 'clusters', sql: 'SELECT id FROM clusters WHERE id = ANY($1::text[]) ORDER BY id FOR NO KEY UPDATE', params: [ids], lock: true };
}

/**
 * What brings the given stories (sorted, unique, locked with {@link clusterLock} in an earlier statement) up to date
 * with their members (see {@link clusterWrites}), for the caller to write with its own writes.
 */
export async function planClusterRefresh(client: PoolClient, ids: readonly string[], now: number, changes: TagChanges): Promise<ClusterWrites> {
  if (ids.length === 0) return recomputeClusters([], [], new Map(), now, changes);
  // One round trip for the stories' tags and members (JSON keeps bigint times as numbers).
  const { rows } = await client.query<{
    countries: { cluster_id: string; country: string; published_at: number }[];
    topics: { cluster_id: string; topic: string; published_at: number }[];
    members: MemberTagRow[];
  }>(
    `SELECT
       (SELECT coalesce(json_agg(t), '[]') FROM (SELECT cluster_id, country, published_at FROM cluster_country WHERE cluster_id = ANY($1::text[])) t) AS countries,
       (SELECT coalesce(json_agg(t), '[]') FROM (SELECT cluster_id, topic, published_at FROM cluster_topic WHERE cluster_id = ANY($1::text[])) t) AS topics,
       (SELECT coalesce(json_agg(t), '[]') FROM (SELECT id, cluster_id, published_at, updated_at, countries, topics FROM items WHERE cluster_id = ANY($1::text[])) t) AS members`,
    [ids],
  );
  const found = rows[0] ?? { countries: [], topics: [], members: [] };
  return recomputeClusters(ids, found.members, groupClusterTags(found.countries, found.topics), now, changes);
}

/** The writes that store recomputed stories. */
export function clusterWrites(writes: ClusterWrites): Write[] {
  const result: Write[] = [];
  const u = writes.upserts;
  if (u.length > 0) {
    result.push({
      table: 'clusters',
      sql: `INSERT INTO clusters (id, published_at, updated_at, changed_at, member_count)
            SELECT * FROM unnest($1::text[], $2::bigint[], $3::bigint[], $4::bigint[], $5::int[])
            ON CONFLICT (id) DO UPDATE SET published_at = excluded.published_at, updated_at = excluded.updated_at,
              changed_at = excluded.changed_at, member_count = excluded.member_count`,
      params: [u.map((c) => c.id), u.map((c) => c.published_at), u.map((c) => c.updated_at), u.map((c) => c.changed_at), u.map((c) => c.member_count)],
    });
  }
  if (writes.deletes.length > 0) {
    for (const [table, column] of [['clusters', 'id'], ['cluster_country', 'cluster_id'], ['cluster_topic', 'cluster_id']] as const) {
      result.push({ table, sql: `DELETE FROM ${table} WHERE ${column} = ANY($1::text[])`, params: [writes.deletes] });
    }
  }
  if (writes.retime.length > 0) {
    const params = [writes.retime.map((r) => r[0]), writes.retime.map((r) => r[1])];
    for (const table of ['cluster_country', 'cluster_topic']) {
      result.push({
        table,
        sql: `UPDATE ${table} t SET published_at = v.published_at
              FROM unnest($1::text[], $2::bigint[]) AS v(cluster_id, published_at) WHERE t.cluster_id = v.cluster_id`,
        params,
      });
    }
  }
  result.push(...tagDiffWrites('cluster_country', 'country', writes.addCountries, writes.removeCountries));
  result.push(...tagDiffWrites('cluster_topic', 'topic', writes.addTopics, writes.removeTopics));
  return result;
}

/** Removes the sketches and band rows of the items `where` selects (a condition on `item_sketch`). */
export async function dropSketches(client: PoolClient, where: string, params: unknown[]): Promise<void> {
  await client.query(
    `WITH gone AS (DELETE FROM item_sketch WHERE ${where} RETURNING item_id, published_at, band_keys)
     DELETE FROM item_band b USING (
       SELECT jsonb_array_elements_text(band_keys::jsonb) AS band_key, published_at, item_id FROM gone
     ) g
     WHERE b.band_key = g.band_key AND b.published_at = g.published_at AND b.item_id = g.item_id`,
    params,
  );
}

function tagDiffWrites(table: string, column: string, add: readonly [string, string, number][], remove: readonly [string, string][]): Write[] {
  const result: Write[] = [];
  if (remove.length > 0) {
    result.push({
      table,
      sql: `DELETE FROM ${table} WHERE (cluster_id, ${column}) IN (SELECT * FROM unnest($1::text[], $2::text[]))`,
      params: [remove.map((r) => r[0]), remove.map((r) => r[1])],
    });
  }
  if (add.length > 0) {
    result.push({
      table,
      sql: `INSERT INTO ${table} (cluster_id, ${column}, published_at) SELECT * FROM unnest($1::text[], $2::text[], $3::bigint[])
            ON CONFLICT (cluster_id, ${column}) DO UPDATE SET published_at = excluded.published_at`,
      params: [add.map((r) => r[0]), add.map((r) => r[1]), add.map((r) => r[2])],
    });
  }
  return result;
}
