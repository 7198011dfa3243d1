import type { PublishedItem, Section } from '../core/index.js';
import { renderAtom } from './atom.js';
import { type SiteOptions, buildFeedMeta } from './feed-meta.js';
import { renderJsonFeed } from './json-feed.js';
import { type ItemProblem, prepareItems } from './prepare-items.js';
import { renderRss } from './rss.js';

/** The three files of a section folder. */
export interface SectionFeeds {
  readonly 'feed.xml': string;
  readonly 'atom.xml': string;
  readonly 'feed.json': string;
}

/** Renders a section and reports the stories (or fields) left out, for the caller to log. */
export function renderSectionFeedsWithProblems(
  section: Section,
  items: readonly PublishedItem[],
  site: SiteOptions,
  generatedAt?: number,
): { files: SectionFeeds; problems: ItemProblem[] } {
  const prepared = prepareItems(items);
  const meta = buildFeedMeta(section, prepared.items, site, generatedAt);
  return {
    files: {
      'feed.xml': renderRss(meta, prepared.items),
      'atom.xml': renderAtom(meta, prepared.items),
      'feed.json': renderJsonFeed(meta, prepared.items),
    },
    problems: prepared.problems,
  };
}
