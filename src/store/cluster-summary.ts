import type { CountryCode, TopicId } from '../core/index.js';
import { parseList, uniqueSorted } from './rows.js';
import type { ClusterTags } from './rows.js';
import type { TagChanges } from './tag-changes.js';

/** A row of `clusters`: one story. Its id is its first member's item id and never changes. */
export interface ClusterRow {
  id: string;
  /** Earliest member's publication time: the story's place in a section (newest first). */
  published_at: number;
  /** Latest publication or update time among the members (from the feeds, so every worker computes the same). */
  updated_at: number;
  /** When the store last changed the story (wall clock of the ingest or prune). */
  changed_at: number;
  member_count: number;
}

/** What recomputing a story needs of each member. */
export interface MemberTagRow {
  id: string;
  cluster_id: string;
  published_at: number;
  updated_at: number | null;
  countries: string;
  topics: string;
}

/** The writes that bring touched stories up to date with their members. */
export interface ClusterWrites {
  readonly upserts: ClusterRow[];
  /** Stories left with no member. */
  readonly deletes: string[];
  readonly addCountries: [clusterId: string, country: CountryCode, publishedAt: number][];
  readonly removeCountries: [clusterId: string, country: CountryCode][];
  readonly addTopics: [clusterId: string, topic: TopicId, publishedAt: number][];
  readonly removeTopics: [clusterId: string, topic: TopicId][];
  /** Stories whose kept tag rows must move to a new publication time (they are sorted by it). */
  readonly retime: [clusterId: string, publishedAt: number][];
}

/**
 * Recomputes each touched story from its current members: earliest publication time, member count and the union of
 * the members' tags, diffed against the stored tags so only what changed is written. Every touched story's tags,
 * before and after, go into `changes`.
 */
export function recomputeClusters(
  clusterIds: Iterable<string>,
  members: readonly MemberTagRow[],
  before: ReadonlyMap<string, ClusterTags>,
  now: number,
  changes: TagChanges,
): ClusterWrites {
  const byCluster = new Map<string, MemberTagRow[]>();
  for (const m of members) {
    let list = byCluster.get(m.cluster_id);
    if (!list) byCluster.set(m.cluster_id, (list = []));
    list.push(m);
  }
  const writes: ClusterWrites = {
    upserts: [],
    deletes: [],
    addCountries: [],
    removeCountries: [],
    addTopics: [],
    removeTopics: [],
    retime: [],
  };
  for (const id of [...new Set(clusterIds)].sort()) {
    const old = before.get(id) ?? { countries: [], topics: [] };
    changes.add(old);
    const list = byCluster.get(id) ?? [];
    if (list.length === 0) {
      writes.deletes.push(id);
      continue;
    }
    const countries = uniqueSorted(list.flatMap((m) => parseList<CountryCode>(m.countries)));
    const topics = uniqueSorted(list.flatMap((m) => parseList<TopicId>(m.topics)));
    changes.add({ countries, topics });
    let publishedAt = Infinity;
    let updatedAt = -Infinity;
    for (const m of list) {
      publishedAt = Math.min(publishedAt, m.published_at);
      updatedAt = Math.max(updatedAt, m.published_at, m.updated_at ?? 0);
    }
    writes.upserts.push({ id, published_at: publishedAt, updated_at: updatedAt, changed_at: now, member_count: list.length });
    const kept = diff(id, publishedAt, old.countries, countries, writes.addCountries, writes.removeCountries) +
      diff(id, publishedAt, old.topics, topics, writes.addTopics, writes.removeTopics);
    if (kept > 0 && old.publishedAt !== undefined && old.publishedAt !== publishedAt) writes.retime.push([id, publishedAt]);
  }
  return writes;
}

/** Adds and removes tag rows; returns how many rows stay. */
function diff<T extends string>(
  id: string,
  publishedAt: number,
  old: readonly T[],
  now: readonly T[],
  add: [string, T, number][],
  remove: [string, T][],
): number {
  const oldSet = new Set(old);
  const nowSet = new Set(now);
  let kept = 0;
  for (const t of now) {
    if (!oldSet.has(t)) add.push([id, t, publishedAt]);
    else kept++;
  }
  for (const t of old) if (!nowSet.has(t)) remove.push([id, t]);
  return kept;
}

/** Groups `(cluster_id, tag)` rows into stored tag sets per story. */
export function groupClusterTags(
  countryRows: readonly { cluster_id: string; country: string; published_at: number }[],
  topicRows: readonly { cluster_id: string; topic: string; published_at: number }[],
): Map<string, ClusterTags> {
  const out = new Map<string, ClusterTags>();
  const entry = (id: string) => {
    let e = out.get(id);
    if (!e) out.set(id, (e = { countries: [], topics: [] }));
    return e;
  };
  for (const r of countryRows) {
    const e = entry(r.cluster_id);
    e.countries.push(r.country);
    e.publishedAt = r.published_at;
  }
  for (const r of topicRows) {
    const e = entry(r.cluster_id);
    e.topics.push(r.topic as TopicId);
    e.publishedAt = r.published_at;
  }
  return out;
}
