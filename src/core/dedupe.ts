import type { TaggedItem } from './item.js';

/** A stored item whose sketch shares a band with a new item's: handed back to `dedupe/` to judge. */
export interface NearDuplicateCandidate {
  readonly itemId: string;
  readonly clusterId: string;
  readonly sourceId: string;
  readonly publishedAt: number;
  readonly signature: string;
}

/**
 * Near-duplicate policy, implemented by `dedupe/` and called by the store inside its transaction, so that two
 * copies ingested at the same moment still meet. The store finds candidates by band key within `windowMs` of
 * the item's publication time; the matcher decides.
 */
export interface NearDuplicateMatcher {
  readonly windowMs: number;
  /** The cluster id the item joins, or undefined for a new story. */
  match(item: TaggedItem, candidates: readonly NearDuplicateCandidate[]): string | undefined;
}
