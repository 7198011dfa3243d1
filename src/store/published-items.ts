import type { AlsoReportedBy, CountryCode, PublishedItem, TopicId } from '../core/index.js';
import type { ClusterRow } from './cluster-summary.js';
import { parseList, uniqueSorted } from './rows.js';
import type { ItemRow } from './rows.js';

/** A member of a story as the section query reads it: the item row joined with its source. */
export type PublishMemberRow = Pick<
  ItemRow,
  | 'id'
  | 'source_id'
  | 'cluster_id'
  | 'url'
  | 'title'
  | 'summary_html'
  | 'content_html'
  | 'author'
  | 'published_at'
  | 'image_url'
  | 'enclosure_url'
  | 'enclosure_type'
  | 'enclosure_length'
  | 'countries'
  | 'topics'
> & {
  /** Null when the item's source row is gone (it never is in practice; the id stands in). */
  source_name: string | null;
  source_feed_url: string | null;
  source_priority: number | null;
};

/** The columns `PublishMemberRow` needs, as a select list over `items i LEFT JOIN sources s`. */
export const PUBLISH_MEMBER_SELECT = `i.id, i.source_id, i.cluster_id, i.url, i.title, i.summary_html, i.content_html,
  i.author, i.published_at, i.image_url, i.enclosure_url, i.enclosure_type, i.enclosure_length, i.countries, i.topics,
  s.name AS source_name, s.url AS source_feed_url, s.priority AS source_priority`;

/**
 * Orders members for choosing the representative: the highest-priority source first, then the earliest
 * publication, then the item id so that every worker picks the same one.
 */
function compareMembers(a: PublishMemberRow, b: PublishMemberRow): number {
  return (
    (b.source_priority ?? 0) - (a.source_priority ?? 0) ||
    a.published_at - b.published_at ||
    (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)
  );
}

/**
 * Turns stories (already in section order) and their members into published items: the representative's fields,
 * the union of the members' tags, and one "also reported by" entry per other source.
 */
export function buildPublishedItems(clusters: readonly ClusterRow[], members: readonly PublishMemberRow[]): PublishedItem[] {
  const byCluster = new Map<string, PublishMemberRow[]>();
  for (const m of members) {
    let list = byCluster.get(m.cluster_id);
    if (!list) byCluster.set(m.cluster_id, (list = []));
    list.push(m);
  }
  const out: PublishedItem[] = [];
  for (const cluster of clusters) {
    const list = (byCluster.get(cluster.id) ?? []).sort(compareMembers);
    const rep = list[0];
    if (!rep) continue; // a story with no member left is removed by the same transaction that removed its last item
    const others = new Map<string, PublishMemberRow>();
    for (const m of list) if (m.source_id !== rep.source_id && !others.has(m.source_id)) others.set(m.source_id, m);
    const alsoReportedBy: AlsoReportedBy[] = [...others.values()].map((m) => ({
      sourceId: m.source_id,
      sourceName: m.source_name ?? m.source_id,
      ...(m.url ? { url: m.url } : {}),
      title: m.title,
    }));
    out.push({
      id: cluster.id,
      ...(rep.url ? { url: rep.url } : {}),
      title: rep.title,
      ...(rep.summary_html ? { summaryHtml: rep.summary_html } : {}),
      ...(rep.content_html ? { contentHtml: rep.content_html } : {}),
      ...(rep.author ? { author: rep.author } : {}),
      publishedAt: cluster.published_at,
      updatedAt: cluster.updated_at,
      ...(rep.image_url ? { imageUrl: rep.image_url } : {}),
      ...(rep.enclosure_url
        ? {
            enclosure: {
              url: rep.enclosure_url,
              ...(rep.enclosure_type ? { type: rep.enclosure_type } : {}),
              ...(rep.enclosure_length !== null ? { length: rep.enclosure_length } : {}),
            },
          }
        : {}),
      sourceId: rep.source_id,
      sourceName: rep.source_name ?? rep.source_id,
      sourceFeedUrl: rep.source_feed_url ?? '',
      tags: {
        countries: uniqueSorted(list.flatMap((m) => parseList<CountryCode>(m.countries))),
        topics: uniqueSorted(list.flatMap((m) => parseList<TopicId>(m.topics))),
      },
      alsoReportedBy,
    });
  }
  return out;
}
