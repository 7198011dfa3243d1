import type { CountryCode } from './countries.js';
import type { TopicId } from './topics.js';

export interface Enclosure {
  readonly url: string;
  readonly type?: string;
  readonly length?: number;
}

/** Which syntax a feed was written in. */
export type FeedFormat = 'rss2' | 'rss1' | 'atom' | 'json';

/**
 * One entry as the feed wrote it, format-neutral: strings are as found (HTML still HTML, dates unparsed,
 * URLs possibly relative). Produced by `parse/`, consumed by `normalize/`.
 */
export interface RawItem {
  readonly guid?: string;
  /** RSS `guid isPermaLink`; undefined when the feed did not say. */
  readonly guidIsPermaLink?: boolean;
  readonly link?: string;
  readonly title?: string;
  /** `description` / Atom `summary` / JSON `summary`; HTML or text. */
  readonly summary?: string;
  /** `content:encoded` / Atom `content` / JSON `content_html` (or `content_text`). */
  readonly content?: string;
  readonly author?: string;
  readonly published?: string;
  readonly updated?: string;
  readonly categories: readonly string[];
  readonly imageUrl?: string;
  readonly enclosure?: Enclosure;
  /** RSS `<source url>`: the outlet this item was first published by, when the feed says. */
  readonly originTitle?: string;
  readonly originUrl?: string;
  readonly language?: string;
  /** `xml:base` in force for this entry, when the feed set one. */
  readonly baseUrl?: string;
}

/** A parsed feed document. */
export interface ParsedFeed {
  readonly format: FeedFormat;
  readonly title?: string;
  readonly link?: string;
  readonly language?: string;
  /** RSS `<ttl>` in minutes: a lower bound for the next check. */
  readonly ttlMinutes?: number;
  readonly items: readonly RawItem[];
  /** Problems recovered from (illegal characters removed, a bad date skipped, …): logged, not fatal. */
  readonly warnings: readonly string[];
}

/** A normalized item: what crosses every stage line after `normalize/`. Times are UTC milliseconds. */
export interface Item {
  /** Short stable hash of (sourceId, itemKey). */
  readonly id: string;
  readonly sourceId: string;
  /** The per-source identity the id was made from (guid, link or link+title; see DESIGN.md). */
  readonly itemKey: string;
  readonly guid?: string;
  /** Canonical article URL: absolute, fragment and tracking parameters removed, host lower-cased. */
  readonly url?: string;
  /** Plain text, entities decoded, whitespace collapsed; never empty (made from the text when missing). */
  readonly title: string;
  /** Sanitized HTML. */
  readonly summaryHtml?: string;
  readonly summaryText?: string;
  /** Sanitized HTML. */
  readonly contentHtml?: string;
  readonly contentText?: string;
  readonly author?: string;
  readonly publishedAt: number;
  readonly updatedAt?: number;
  readonly imageUrl?: string;
  readonly enclosure?: Enclosure;
  /** The feed's own category labels, trimmed, de-duplicated. */
  readonly categories: readonly string[];
  readonly language?: string;
  /** Hash of the published fields: a change means the item was updated at the source. */
  readonly contentHash: string;
}

/** What an item is about. */
export interface TagSet {
  readonly countries: readonly CountryCode[];
  readonly topics: readonly TopicId[];
}

/** An item with its tags and dedupe fingerprint, ready for the store. */
export interface TaggedItem extends Item {
  readonly tags: TagSet;
  /** Key for "same normalized title from the same source within 48 h"; undefined when the title is too generic. */
  readonly titleKey?: string;
  /** Near-duplicate sketch, when the dedupe stage made one. */
  readonly sketch?: ItemSketch;
}

/**
 * A near-duplicate fingerprint. The store indexes `bandKeys` and hands candidates back with their `signature`;
 * only `dedupe/` knows what the signature means.
 */
export interface ItemSketch {
  readonly signature: string;
  readonly bandKeys: readonly string[];
}
