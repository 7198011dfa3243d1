import type {
  ChangedTags,
  CountryCode,
  NearDuplicateMatcher,
  PublishedItem,
  SectionFilter,
  Source,
  SourceState,
  SourceStateUpdate,
  TaggedItem,
  TopicId,
} from '../core/index.js';

/** One source's fetch result, committed whole or not at all. */
export interface IngestBatch {
  readonly sourceId: string;
  readonly items: readonly TaggedItem[];
  readonly state: SourceStateUpdate;
  readonly now: number;
  /** Same normalized title from the same source within this window is the same item (48 h). */
  readonly titleWindowMs: number;
  /** Near-duplicate policy; absent means exact dedupe only. */
  readonly nearDuplicates?: NearDuplicateMatcher;
}

export interface IngestResult {
  /** Items never seen before that started a new story. */
  readonly new: number;
  /** Items seen before whose content changed (updated in place). */
  readonly updated: number;
  readonly unchanged: number;
  /** Items that were exact duplicates of another item (same canonical URL, or same title within the window). */
  readonly duplicates: number;
  /** Items that joined another source's story as near-duplicates. */
  readonly merged: number;
  /** Stories that gained their second member in this batch. */
  readonly clustersFormed: number;
  readonly changed: ChangedTags;
}

export interface PruneResult {
  readonly itemsRemoved: number;
  readonly clustersRemoved: number;
  readonly changed: ChangedTags;
}

export interface SectionStats {
  readonly itemCount: number;
  /** Newest publication time among the section's stories; 0 when empty. */
  readonly updatedAt: number;
}

/** One line of the pass log. Times are UTC milliseconds. */
export interface PassRecord {
  readonly startedAt: number;
  readonly finishedAt: number;
  readonly status: 'ok' | 'failed';
  readonly sourcesOk: number;
  readonly sourcesNotModified: number;
  readonly sourcesFailed: number;
  readonly itemsNew: number;
  readonly itemsUpdated: number;
  readonly itemsDuplicate: number;
  readonly itemsMerged: number;
  readonly clustersFormed: number;
  readonly sectionsWritten: number;
  readonly error?: string;
}

/** A named lock as the store holds it. */
export interface LockRecord {
  readonly name: string;
  readonly owner: string;
  readonly expiresAt: number;
}

export interface ClaimOptions {
  readonly now: number;
  /** Identifies this worker in leases and locks. */
  readonly workerId: string;
  /** A claimed source not reported back within this time is claimable again. */
  readonly leaseMs: number;
  readonly limit: number;
}

/**
 * Everything newsmux keeps between passes. SQLite and PostgreSQL implement it; one contract test suite covers both.
 * All methods may throw `StoreError`; any thrown error ends the pass with exit 2.
 */
export interface Store {
  readonly kind: 'sqlite' | 'postgres';
  /** Adds configured sources, updates their name, url and priority; keeps state of unconfigured ones. */
  syncSources(sources: readonly Source[], now: number): Promise<void>;
  /** State of every configured source, for `newsmux sources` and health. */
  sourceStates(): Promise<SourceState[]>;
  /** Sources due at `now`, leased to this worker so that no other worker fetches them this round. */
  claimDueSources(options: ClaimOptions): Promise<SourceState[]>;
  /** Records the outcome of a fetch that brought no items (not modified, failed) and releases the lease. */
  recordSourceState(sourceId: string, update: SourceStateUpdate): Promise<void>;
  /** Stores one source's items and its new state in one transaction, and releases the lease. */
  ingest(batch: IngestBatch): Promise<IngestResult>;
  /** Removes items published before `before`, their tags and sketches, and stories left with no member. */
  prune(before: number): Promise<PruneResult>;
  /** Newest stories first, matching the filter. */
  sectionItems(filter: SectionFilter, limit: number): Promise<PublishedItem[]>;
  sectionStats(filter: SectionFilter): Promise<SectionStats>;
  /** Number of stories per country and per topic: which country and topic sections exist. */
  tagCounts(): Promise<{ countries: Map<CountryCode, number>; topics: Map<TopicId, number> }>;
  recordPass(pass: PassRecord): Promise<void>;
  lastPass(): Promise<PassRecord | undefined>;
  /** Takes a named lock until `now + ttlMs`; an expired lock is taken over. False when someone else holds it. */
  acquireLock(name: string, owner: string, now: number, ttlMs: number): Promise<boolean>;
  releaseLock(name: string, owner: string): Promise<void>;
  /** The locks whose name starts with `prefix`, expired or not, by name. */
  locks(prefix: string): Promise<LockRecord[]>;
  close(): Promise<void>;
}
