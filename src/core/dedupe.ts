import type { TaggedItem } from './item.js';

/** A stored item whose sketch shares a band with a new item's: handed back to `dedupe/` to judge. */
export interface NearDuplicateCandidate {
  readonly itemId: string;
  readonly clusterId: string;
  readonly sourceId: string;
  readonly publishedAt: number;
  readonly signature: string;
}

/** Sketched items by band key, in memory; made by `dedupe/` (it knows which band-sharers are worth judging). */
export interface NearDuplicateIndex {
  readonly size: number;
  has(itemId: string): boolean;
  /** Indexes an item under its band keys, replacing what it had. */
  add(entry: NearDuplicateCandidate, bandKeys: readonly string[]): void;
  remove(itemId: string): void;
  /** The indexed items worth judging against an item with these band keys, oldest first. */
  candidates(itemId: string, bandKeys: readonly string[], publishedAt: number): NearDuplicateCandidate[];
}

/**
 * Near-duplicate policy, implemented by `dedupe/` and called by the store inside its transaction, so that two
 * copies ingested at the same moment still meet. The store keeps the sketches and loads those that an ingest can
 * reach into an index of the policy's making; the index names the candidates, the matcher decides.
 */
export interface NearDuplicateMatcher {
  readonly windowMs: number;
  createIndex(): NearDuplicateIndex;
  /** The cluster id the item joins, or undefined for a new story. */
  match(item: TaggedItem, candidates: readonly NearDuplicateCandidate[]): string | undefined;
}
