import type { NearDuplicateIndex, TaggedItem } from '../core/index.js';
import type { IngestBatch } from './store.js';

/**
 * The identity rules of an ingest, decided once for both backends. A backend reads the batch's ids, then looks up
 * what the pending items' keys match (`pendingItems` → `collectIngestKeys` → `IngestLookups`); `planIngest` decides
 * every item in order (seeing the batch's earlier items too), and the backend writes the plan in the same transaction.
 */

/** The keys of a batch that the store must look up. */
export interface IngestKeys {
  readonly ids: string[];
  readonly urls: string[];
  readonly titleKeys: string[];
  /** Publication range the title rule can reach: [from, to]. */
  readonly titleRange: readonly [number, number];
  /** Empty when the batch has no near-duplicate policy. */
  readonly bandKeys: string[];
  /** The near-duplicate windows of the sketched items, each [from, to]: sorted, overlapping ones joined. */
  readonly bandWindows: readonly (readonly [number, number])[];
}

/**
 * The batch's items that need more than a look at their own row: those not stored yet, or stored with other content.
 * A feed seen again mostly repeats itself, so this is usually a small part of the batch.
 */
export function pendingItems(batch: IngestBatch, byId: ReadonlyMap<string, ExistingItem>): TaggedItem[] {
  return batch.items.filter((item) => byId.get(item.id)?.contentHash !== item.contentHash);
}

/** The keys the pending items of a batch must be looked up by. */
export function collectIngestKeys(batch: IngestBatch, items: readonly TaggedItem[]): IngestKeys {
  const ids = new Set<string>();
  const urls = new Set<string>();
  const titleKeys = new Set<string>();
  const bandKeys = new Set<string>();
  let titleMin = Infinity;
  let titleMax = -Infinity;
  const sketchedAt: number[] = [];
  for (const item of items) {
    ids.add(item.id);
    if (item.url) urls.add(item.url);
    if (item.titleKey) {
      titleKeys.add(item.titleKey);
      titleMin = Math.min(titleMin, item.publishedAt);
      titleMax = Math.max(titleMax, item.publishedAt);
    }
    if (batch.nearDuplicates && item.sketch) {
      for (const key of item.sketch.bandKeys) bandKeys.add(key);
      sketchedAt.push(item.publishedAt);
    }
  }
  const titleWindow = batch.titleWindowMs;
  const bandWindows = windowsAround(sketchedAt, batch.nearDuplicates?.windowMs ?? 0);
  return {
    ids: [...ids],
    urls: [...urls],
    titleKeys: [...titleKeys],
    titleRange: titleKeys.size > 0 ? [titleMin - titleWindow, titleMax + titleWindow] : [0, -1],
    bandKeys: [...bandKeys],
    bandWindows,
  };
}

/** [t − window, t + window] around each time, sorted, overlapping ones joined. */
function windowsAround(times: readonly number[], window: number): [number, number][] {
  const windows: [number, number][] = [];
  for (const t of [...times].sort((a, b) => a - b)) {
    const last = windows.at(-1);
    if (last && t - window <= last[1]) last[1] = t + window;
    else windows.push([t - window, t + window]);
  }
  return windows;
}

/** A stored item with one of the batch's ids. */
export interface ExistingItem {
  readonly clusterId: string;
  readonly contentHash: string;
  readonly url: string | null;
  readonly ownsUrl: boolean;
}

/** A stored item found by URL or title key. */
export interface ItemRef {
  readonly itemId: string;
  readonly clusterId: string;
  readonly publishedAt: number;
}

/** What the store holds for the batch's keys, read inside the ingest transaction. */
export interface IngestLookups {
  /** Stored items with the batch's ids. */
  readonly byId: ReadonlyMap<string, ExistingItem>;
  /** One stored item per canonical URL (the URL's owner when there is one, else the first seen). */
  readonly byUrl: ReadonlyMap<string, ItemRef>;
  /** Items of the batch's source with these title keys, within the title range. */
  readonly byTitleKey: ReadonlyMap<string, readonly ItemRef[]>;
  /**
   * Stored sketches the batch's items can reach, by band key (with a near-duplicate policy). The plan adds the batch's
   * own items as it goes, so that later items see earlier ones; the store drops the index if the ingest fails.
   */
  readonly nearIndex?: NearDuplicateIndex;
  /** Member count of a stored story; undefined when there is none. */
  clusterSize(clusterId: string): number | undefined;
}

/** One item row to write: an insert (`isNew`) or an in-place update. */
export interface PlannedWrite {
  item: TaggedItem;
  readonly clusterId: string;
  /** The canonical URL this item owns (unique in the store), or null. */
  urlKey: string | null;
  readonly isNew: boolean;
}

export interface IngestPlan {
  /** Updates first, then inserts, each in batch order. */
  readonly writes: PlannedWrite[];
  /** Every story that gained, changed or may have lost a member. */
  readonly touchedClusters: Set<string>;
  readonly counts: {
    new: number;
    updated: number;
    unchanged: number;
    duplicates: number;
    merged: number;
    clustersFormed: number;
  };
}

/**
 * Decides each item of the batch in order (see DESIGN.md "Identity"):
 * 1. same id stored → update in place when the content hash differs, else unchanged;
 * 2. same canonical URL stored (any source) → joins that item's story (duplicate);
 * 3. same title key from the same source within the title window → joins that story (duplicate);
 * 4. near-duplicate policy picks a candidate's story (merged);
 * 5. else a new story whose id is the item's id.
 * Items earlier in the batch count as stored for the later ones.
 */
export function planIngest(batch: IngestBatch, lookups: IngestLookups): IngestPlan {
  const counts = { new: 0, updated: 0, unchanged: 0, duplicates: 0, merged: 0, clustersFormed: 0 };
  const touched = new Set<string>();
  const planned = new Map<string, PlannedWrite>();
  const updates: PlannedWrite[] = [];
  const inserts: PlannedWrite[] = [];

  const urlHolders = new Map(lookups.byUrl);
  const titleRefs = new Map<string, ItemRef[]>();
  for (const [key, refs] of lookups.byTitleKey) titleRefs.set(key, [...refs]);
  const nearIndex = batch.nearDuplicates ? lookups.nearIndex : undefined;
  const grownClusters = new Map<string, number>();
  const clusterSize = (id: string) => grownClusters.get(id) ?? lookups.clusterSize(id);

  /** Makes an item written in this batch visible to the batch's later items. */
  const remember = (item: TaggedItem, clusterId: string) => {
    if (item.url && !urlHolders.has(item.url)) urlHolders.set(item.url, { itemId: item.id, clusterId, publishedAt: item.publishedAt });
    if (item.titleKey) {
      let refs = titleRefs.get(item.titleKey);
      if (!refs) titleRefs.set(item.titleKey, (refs = []));
      refs.push({ itemId: item.id, clusterId, publishedAt: item.publishedAt });
    }
    if (!nearIndex) return;
    if (item.sketch) {
      nearIndex.add(
        { itemId: item.id, clusterId, sourceId: item.sourceId, publishedAt: item.publishedAt, signature: item.sketch.signature },
        item.sketch.bandKeys,
      );
    } else nearIndex.remove(item.id);
  };
  /** The URL this item may own: its own, unless another item already has it. */
  const claimableUrl = (item: TaggedItem): string | null => {
    if (!item.url) return null;
    const holder = urlHolders.get(item.url);
    return !holder || holder.itemId === item.id ? item.url : null;
  };

  for (const item of batch.items) {
    const earlier = planned.get(item.id);
    if (earlier) {
      // The same item twice in one feed: the later copy wins, in the story the first one chose.
      if (earlier.item.contentHash === item.contentHash) counts.unchanged++;
      else {
        if (earlier.item.url !== item.url) earlier.urlKey = claimableUrl(item);
        earlier.item = item;
        counts.updated++;
      }
      continue;
    }

    const existing = lookups.byId.get(item.id);
    if (existing) {
      if (existing.contentHash === item.contentHash) {
        counts.unchanged++;
        continue;
      }
      const urlKey = item.url === existing.url ? (existing.ownsUrl ? existing.url : null) : claimableUrl(item);
      const write: PlannedWrite = { item, clusterId: existing.clusterId, urlKey, isNew: false };
      planned.set(item.id, write);
      updates.push(write);
      touched.add(existing.clusterId);
      counts.updated++;
      remember(item, existing.clusterId);
      continue;
    }

    let clusterId: string | undefined;
    let urlKey: string | null = null;
    const urlHolder = item.url ? urlHolders.get(item.url) : undefined;
    if (urlHolder) {
      clusterId = urlHolder.clusterId;
      counts.duplicates++;
    } else {
      urlKey = item.url ?? null;
      const titleMatch = item.titleKey ? closestWithin(titleRefs.get(item.titleKey), item.publishedAt, batch.titleWindowMs) : undefined;
      if (titleMatch) {
        clusterId = titleMatch.clusterId;
        counts.duplicates++;
      } else if (batch.nearDuplicates && nearIndex && item.sketch) {
        const candidates = nearIndex.candidates(item.id, item.sketch.bandKeys, item.publishedAt);
        const chosen = candidates.length > 0 ? batch.nearDuplicates.match(item, candidates) : undefined;
        if (chosen !== undefined && candidates.some((c) => c.clusterId === chosen)) {
          clusterId = chosen;
          counts.merged++;
          if ((clusterSize(chosen) ?? 1) === 1) counts.clustersFormed++;
        }
      }
      if (clusterId === undefined) {
        // A story can outlive its first member (pruned) and see it again: it rejoins its own story.
        clusterId = item.id;
        counts.new++;
      }
    }
    grownClusters.set(clusterId, (clusterSize(clusterId) ?? 0) + 1);
    const write: PlannedWrite = { item, clusterId, urlKey, isNew: true };
    planned.set(item.id, write);
    inserts.push(write);
    touched.add(clusterId);
    remember(item, clusterId);
  }
  return { writes: [...updates, ...inserts], touchedClusters: touched, counts };
}

function closestWithin(refs: readonly ItemRef[] | undefined, at: number, windowMs: number): ItemRef | undefined {
  let best: ItemRef | undefined;
  for (const ref of refs ?? []) {
    const distance = Math.abs(ref.publishedAt - at);
    if (distance > windowMs) continue;
    if (!best || distance < Math.abs(best.publishedAt - at)) best = ref;
  }
  return best;
}
