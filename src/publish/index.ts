import type { PublishedItem, Section } from '../core/index.js';
import type { SiteOptions } from './feed-meta.js';
import { type SectionFeeds, renderSectionFeedsWithProblems } from './section-feeds.js';

/** Where the site is published and what it is called (`baseUrl` ends with `/`). */
export type { SiteOptions } from './feed-meta.js';
/** A section and its summary, as the subscribe page and the OPML take them. */
export type { SectionEntry } from './group-sections.js';
/** The three files of a section folder. */
export type { SectionFeeds } from './section-feeds.js';
/** Why a story or one of its fields was left out of a feed. */
export type { ItemProblem } from './prepare-items.js';

/** Every section to publish, from config and the tags that have stories: all, regions, countries, topics, custom. */
export { planSections } from './sections.js';
/** The sections a change may have touched (conservative): `all` on any change, others whose filter overlaps. */
export { sectionsAffected } from './sections.js';
/** The subscribe page (`index.html`): grouped sections, counts, headlines, feed links, copyable addresses. */
export { renderIndexHtml } from './index-html.js';
/** `feeds.opml`: OPML 2.0 with one outline per section feed, grouped. */
export { renderOpml } from './opml.js';
/** Writes a file only when its bytes changed, atomically (temporary file + rename); false when unchanged. */
export { writeFileIfChanged } from './write-file.js';
/** Renders and writes sections, the index and OPML; removes sections left without stories; lists what exists. */
export { listPublishedSections, publishIndex, publishSections, removeSections } from './publish.js';
/** Like renderSectionFeeds, and also says which stories or fields were left out. */
export { renderSectionFeedsWithProblems } from './section-feeds.js';

/**
 * A section's `feed.xml` (RSS 2.0), `atom.xml` (Atom 1.0) and `feed.json` (JSON Feed 1.1), newest first. Every URL
 * is checked and made absolute, and every string made safe for the output, so one bad story is dropped rather than
 * the section. The feed-level time is the newest story's, or `generatedAt` (default 0) for an empty section, so the
 * same stories always render the same bytes.
 */
export function renderSectionFeeds(
  section: Section,
  items: readonly PublishedItem[],
  site: SiteOptions,
  generatedAt?: number,
): SectionFeeds {
  return renderSectionFeedsWithProblems(section, items, site, generatedAt).files;
}
