import type {
  CountryCode,
  FetchOutcome,
  ItemKeyMode,
  SourceState,
  SourceStateUpdate,
  TaggedItem,
  TopicId,
} from '../core/index.js';
import type { PassRecord } from './store.js';

/**
 * Row shapes and column lists shared by both backends. Both schemas use the same table and column names, so the
 * mapping between core types and rows is written once, and `copyStore` can move rows between backends.
 */

export type SqlValue = string | number | null;

/** A row of `items`. Tags and categories are JSON arrays in text columns; times are UTC milliseconds. */
export interface ItemRow {
  id: string;
  source_id: string;
  cluster_id: string;
  item_key: string;
  guid: string | null;
  url: string | null;
  /** Set (to `url`) only on the one item that owns its canonical URL: a unique column. */
  url_key: string | null;
  title: string;
  summary_html: string | null;
  content_html: string | null;
  author: string | null;
  published_at: number;
  updated_at: number | null;
  image_url: string | null;
  enclosure_url: string | null;
  enclosure_type: string | null;
  enclosure_length: number | null;
  categories: string;
  language: string | null;
  content_hash: string;
  title_key: string | null;
  countries: string;
  topics: string;
  first_seen_at: number;
  changed_at: number;
}

export const ITEM_COLUMNS = [
  'id',
  'source_id',
  'cluster_id',
  'item_key',
  'guid',
  'url',
  'url_key',
  'title',
  'author',
  'published_at',
  'updated_at',
  'image_url',
  'enclosure_url',
  'enclosure_type',
  'enclosure_length',
  'categories',
  'language',
  'content_hash',
  'title_key',
  'countries',
  'topics',
  'first_seen_at',
  'changed_at',
  'summary_html',
  'content_html',
] as const satisfies readonly (keyof ItemRow)[];

/** Columns an in-place update rewrites: everything but the identity, the cluster and the first-seen time. */
export const ITEM_UPDATE_COLUMNS = ITEM_COLUMNS.filter(
  (c) => c !== 'id' && c !== 'source_id' && c !== 'cluster_id' && c !== 'first_seen_at',
);

/** Integer-valued item columns (PostgreSQL `bigint`). */
export const ITEM_INTEGER_COLUMNS: ReadonlySet<string> = new Set([
  'published_at',
  'updated_at',
  'enclosure_length',
  'first_seen_at',
  'changed_at',
]);

export function itemToRow(item: TaggedItem, clusterId: string, urlKey: string | null, now: number): ItemRow {
  return {
    id: item.id,
    source_id: item.sourceId,
    cluster_id: clusterId,
    item_key: item.itemKey,
    guid: item.guid ?? null,
    url: item.url ?? null,
    url_key: urlKey,
    title: item.title,
    summary_html: item.summaryHtml ?? null,
    content_html: item.contentHtml ?? null,
    author: item.author ?? null,
    published_at: item.publishedAt,
    updated_at: item.updatedAt ?? null,
    image_url: item.imageUrl ?? null,
    enclosure_url: item.enclosure?.url ?? null,
    enclosure_type: item.enclosure?.type ?? null,
    enclosure_length: item.enclosure?.length ?? null,
    categories: JSON.stringify(item.categories ?? []),
    language: item.language ?? null,
    content_hash: item.contentHash,
    title_key: item.titleKey ?? null,
    countries: JSON.stringify(uniqueSorted(item.tags.countries)),
    topics: JSON.stringify(uniqueSorted(item.tags.topics)),
    first_seen_at: now,
    changed_at: now,
  };
}

/** Parses a JSON array column written by `itemToRow`; a damaged value reads as empty rather than failing a section. */
export function parseList<T extends string>(value: string | null | undefined): T[] {
  if (!value) return [];
  try {
    const parsed: unknown = JSON.parse(value);
    return Array.isArray(parsed) ? parsed.filter((v): v is T => typeof v === 'string') : [];
  } catch {
    return [];
  }
}

/**
 * `parseList` for columns of plain keys (band keys, tags: no quote or backslash inside), which the band index reads by
 * the ten thousand when it loads: a split, not a JSON parse.
 */
export function parseKeyList<T extends string>(value: string | null | undefined): T[] {
  if (!value || value === '[]') return [];
  if (value.startsWith('["') && value.endsWith('"]') && !value.includes('\\')) return value.slice(2, -2).split('","') as T[];
  return parseList<T>(value);
}

export function uniqueSorted<T extends string>(values: readonly T[]): T[] {
  return [...new Set(values)].sort();
}

/** A row of `sources`. */
export interface SourceRow {
  id: string;
  position: number;
  configured_url: string;
  url: string;
  name: string;
  country: string | null;
  language: string | null;
  priority: number;
  active: number;
  etag: string | null;
  last_modified: string | null;
  last_outcome: string | null;
  last_status: number | null;
  last_error: string | null;
  last_attempt_at: number | null;
  last_success_at: number | null;
  consecutive_failures: number;
  next_due_at: number;
  item_key_mode: string | null;
  feed_title: string | null;
  lease_owner: string | null;
  lease_until: number | null;
  added_at: number;
}

export const SOURCE_COLUMNS = [
  'id',
  'position',
  'configured_url',
  'url',
  'name',
  'country',
  'language',
  'priority',
  'active',
  'etag',
  'last_modified',
  'last_outcome',
  'last_status',
  'last_error',
  'last_attempt_at',
  'last_success_at',
  'consecutive_failures',
  'next_due_at',
  'item_key_mode',
  'feed_title',
  'lease_owner',
  'lease_until',
  'added_at',
] as const satisfies readonly (keyof SourceRow)[];

export function rowToSourceState(row: SourceRow & { item_count?: number | null }): SourceState {
  return {
    sourceId: row.id,
    url: row.url,
    etag: row.etag ?? undefined,
    lastModified: row.last_modified ?? undefined,
    lastOutcome: (row.last_outcome as FetchOutcome | null) ?? undefined,
    lastStatus: row.last_status ?? undefined,
    lastError: row.last_error ?? undefined,
    lastAttemptAt: row.last_attempt_at ?? undefined,
    lastSuccessAt: row.last_success_at ?? undefined,
    consecutiveFailures: row.consecutive_failures,
    nextDueAt: row.next_due_at,
    itemKeyMode: (row.item_key_mode as ItemKeyMode | null) ?? undefined,
    feedTitle: row.feed_title ?? undefined,
    ...(row.item_count !== undefined ? { itemCount: row.item_count ?? 0 } : {}),
  };
}

/**
 * The `sources` columns a state update writes, in a fixed order. `undefined` keeps a column, `null` clears it;
 * the lease is always released.
 */
export function stateAssignments(update: SourceStateUpdate): [column: string, value: SqlValue][] {
  const out: [string, SqlValue][] = [];
  const keepUnlessGiven = (column: string, value: string | number | null | undefined) => {
    if (value !== undefined) out.push([column, value]);
  };
  keepUnlessGiven('url', update.url);
  keepUnlessGiven('etag', update.etag);
  keepUnlessGiven('last_modified', update.lastModified);
  out.push(['last_outcome', update.lastOutcome]);
  out.push(['last_status', update.lastStatus ?? null]);
  keepUnlessGiven('last_error', update.lastError);
  out.push(['last_attempt_at', update.lastAttemptAt]);
  keepUnlessGiven('last_success_at', update.lastSuccessAt);
  out.push(['consecutive_failures', update.consecutiveFailures]);
  out.push(['next_due_at', update.nextDueAt]);
  keepUnlessGiven('item_key_mode', update.itemKeyMode);
  keepUnlessGiven('feed_title', update.feedTitle);
  out.push(['lease_owner', null]);
  out.push(['lease_until', null]);
  return out;
}

/** A story's stored tag lists (for the "before" side of ChangedTags) and the time its tag rows are sorted by. */
export interface ClusterTags {
  countries: CountryCode[];
  topics: TopicId[];
  /** `published_at` on the story's tag rows; undefined when it has none. */
  publishedAt?: number;
}

/** A row of `item_sketch`: the narrow side of the near-duplicate lookup. */
export interface SketchRow {
  item_id: string;
  cluster_id: string;
  source_id: string;
  published_at: number;
  signature: string;
  /** JSON array of the item's distinct band keys, to find its `item_band` rows again. */
  band_keys: string;
}

export const SKETCH_COLUMNS = ['item_id', 'cluster_id', 'source_id', 'published_at', 'signature', 'band_keys'] as const;

/** The sketch row of an item, or undefined when it has no sketch. */
export function sketchToRow(item: TaggedItem, clusterId: string): SketchRow | undefined {
  if (!item.sketch) return undefined;
  return {
    item_id: item.id,
    cluster_id: clusterId,
    source_id: item.sourceId,
    published_at: item.publishedAt,
    signature: item.sketch.signature,
    band_keys: JSON.stringify([...new Set(item.sketch.bandKeys)]),
  };
}

/** Columns of `passes` (besides its id), in PassRecord order. */
export const PASS_COLUMNS = [
  'started_at',
  'finished_at',
  'status',
  'sources_ok',
  'sources_not_modified',
  'sources_failed',
  'items_new',
  'items_updated',
  'items_duplicate',
  'items_merged',
  'clusters_formed',
  'sections_written',
  'error',
] as const;

export type PassRow = Record<(typeof PASS_COLUMNS)[number], SqlValue>;

export function passToRow(p: PassRecord): PassRow {
  return {
    started_at: p.startedAt,
    finished_at: p.finishedAt,
    status: p.status,
    sources_ok: p.sourcesOk,
    sources_not_modified: p.sourcesNotModified,
    sources_failed: p.sourcesFailed,
    items_new: p.itemsNew,
    items_updated: p.itemsUpdated,
    items_duplicate: p.itemsDuplicate,
    items_merged: p.itemsMerged,
    clusters_formed: p.clustersFormed,
    sections_written: p.sectionsWritten,
    error: p.error ?? null,
  };
}

export function rowToPass(row: PassRow): PassRecord {
  const n = (v: SqlValue) => Number(v ?? 0);
  return {
    startedAt: n(row.started_at),
    finishedAt: n(row.finished_at),
    status: row.status === 'failed' ? 'failed' : 'ok',
    sourcesOk: n(row.sources_ok),
    sourcesNotModified: n(row.sources_not_modified),
    sourcesFailed: n(row.sources_failed),
    itemsNew: n(row.items_new),
    itemsUpdated: n(row.items_updated),
    itemsDuplicate: n(row.items_duplicate),
    itemsMerged: n(row.items_merged),
    clustersFormed: n(row.clusters_formed),
    sectionsWritten: n(row.sections_written),
    ...(row.error !== null && row.error !== undefined ? { error: String(row.error) } : {}),
  };
}

/** How many pass records a store keeps. */
export const PASSES_KEPT = 1000;
