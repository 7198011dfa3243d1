import type { Enclosure, TagSet } from './item.js';

/** Another outlet that carried the same story. */
export interface AlsoReportedBy {
  readonly sourceId: string;
  readonly sourceName: string;
  readonly url?: string;
  readonly title: string;
}

/**
 * One story as it is published: a cluster of copies, shown through its representative member.
 * `id` is the cluster id (the first member's item id) and never changes, so readers never see it twice.
 */
export interface PublishedItem {
  readonly id: string;
  readonly url?: string;
  readonly title: string;
  readonly summaryHtml?: string;
  readonly contentHtml?: string;
  readonly author?: string;
  readonly publishedAt: number;
  readonly updatedAt: number;
  readonly imageUrl?: string;
  readonly enclosure?: Enclosure;
  readonly sourceId: string;
  readonly sourceName: string;
  /** The source feed URL, for RSS `<source url>`. */
  readonly sourceFeedUrl: string;
  /** Union of the members' tags. */
  readonly tags: TagSet;
  readonly alsoReportedBy: readonly AlsoReportedBy[];
}

/** What the subscribe page and OPML say about a section. */
export interface SectionSummary {
  readonly path: string;
  readonly itemCount: number;
  readonly updatedAt: number;
  readonly latestTitles: readonly { readonly title: string; readonly url?: string }[];
}
