import type { SectionFilter } from '../core/index.js';

/**
 * How a section is read. Tag rows carry their story's publication time and are indexed by (tag, time), so the newest
 * N stories of a section are the merge of the newest N of each of its countries (or topics): the cost follows N and
 * the number of tags, never the size of the store.
 */
export type SectionPlan =
  | { readonly by: 'all' }
  | { readonly by: 'country'; readonly countries: readonly string[]; readonly topics: readonly string[] }
  | { readonly by: 'topic'; readonly topics: readonly string[] };

export function planSection(filter: SectionFilter): SectionPlan {
  const countries = [...new Set(filter.countries)];
  const topics = [...new Set(filter.topics)];
  if (countries.length > 0) return { by: 'country', countries, topics };
  if (topics.length > 0) return { by: 'topic', topics };
  return { by: 'all' };
}

export interface NewestRow {
  cluster_id: string;
  published_at: number;
}

/** Newest first, ties by story id (byte order, as both databases sort them). */
export function compareNewest(a: NewestRow, b: NewestRow): number {
  return b.published_at - a.published_at || (a.cluster_id < b.cluster_id ? -1 : a.cluster_id > b.cluster_id ? 1 : 0);
}

/** Merges per-tag newest lists into the section's newest `limit` story ids. */
export function mergeNewest(lists: readonly (readonly NewestRow[])[], limit: number): string[] {
  const seen = new Set<string>();
  const rows: NewestRow[] = [];
  for (const list of lists) {
    for (const row of list) {
      if (seen.has(row.cluster_id)) continue;
      seen.add(row.cluster_id);
      rows.push(row);
    }
  }
  return rows.sort(compareNewest).slice(0, limit).map((r) => r.cluster_id);
}
