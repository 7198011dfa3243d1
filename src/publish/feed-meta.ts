import type { Section } from '../core/index.js';
import { neutralizeText } from './plain-text.js';
import type { PreparedItem } from './prepare-items.js';
import { sectionAnchor } from './sections.js';

/** Where the site is published and what it is called. */
export interface SiteOptions {
  /** Folder the section folders, index.html and feeds.opml are written to. */
  readonly outputDir: string;
  /** Public URL of `outputDir`, ending with `/`. */
  readonly baseUrl: string;
  /** Prefix of every feed title ("newsmux"). */
  readonly title: string;
}

/** The three feed files of a section folder. */
export const FEED_FILES = ['feed.xml', 'atom.xml', 'feed.json'] as const;
export type FeedFileName = (typeof FEED_FILES)[number];

/** Feed-level fields shared by the three formats. */
export interface FeedMeta {
  readonly title: string;
  readonly description: string;
  /** The section on the subscribe page. */
  readonly homeUrl: string;
  readonly rssUrl: string;
  readonly atomUrl: string;
  readonly jsonUrl: string;
  /** Newest story time (not the wall clock), so an unchanged section renders the same bytes. */
  readonly updated: Date;
  readonly generator: string;
}

/** The base URL as an absolute http(s) URL ending with `/`. */
export function normalizeBaseUrl(baseUrl: string): string {
  const url = new URL(baseUrl);
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new TypeError(`publish: baseUrl must be http(s), got ${url.protocol}`);
  url.hash = '';
  url.search = '';
  return url.href.endsWith('/') ? url.href : `${url.href}/`;
}

/** Absolute URL of a file of a section folder. */
export function sectionFileUrl(site: SiteOptions, section: Pick<Section, 'path'>, file: FeedFileName): string {
  return `${normalizeBaseUrl(site.baseUrl)}${section.path}/${file}`;
}

export function feedTitle(site: SiteOptions, section: Pick<Section, 'title'>): string {
  return `${neutralizeText(site.title) || 'newsmux'}: ${neutralizeText(section.title)}`;
}

export function buildFeedMeta(section: Section, items: readonly PreparedItem[], site: SiteOptions, generatedAt?: number): FeedMeta {
  const base = normalizeBaseUrl(site.baseUrl);
  const newest = items.reduce((max, item) => Math.max(max, item.updatedAt.getTime(), item.publishedAt.getTime()), Number.NEGATIVE_INFINITY);
  const fallback = generatedAt !== undefined && Number.isFinite(generatedAt) ? generatedAt : 0;
  return {
    title: feedTitle(site, section),
    description: neutralizeText(section.description) || neutralizeText(section.title),
    homeUrl: `${base}#${sectionAnchor(section)}`,
    rssUrl: sectionFileUrl(site, section, 'feed.xml'),
    atomUrl: sectionFileUrl(site, section, 'atom.xml'),
    jsonUrl: sectionFileUrl(site, section, 'feed.json'),
    updated: new Date(Number.isFinite(newest) ? newest : fallback),
    generator: neutralizeText(site.title) || 'newsmux',
  };
}
