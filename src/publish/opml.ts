import { type SiteOptions, feedTitle, normalizeBaseUrl, sectionFileUrl } from './feed-meta.js';
import { type SectionEntry, groupSections } from './group-sections.js';
import { escapeHtml, neutralizeText } from './plain-text.js';
import { sectionAnchor } from './sections.js';

function outline(entry: SectionEntry, site: SiteOptions, indent: string): string {
  const { section } = entry;
  const text = escapeHtml(neutralizeText(section.title) || section.path);
  const attrs = [
    `text="${text}"`,
    `title="${escapeHtml(feedTitle(site, section))}"`,
    'type="rss"',
    'version="RSS2"',
    `xmlUrl="${escapeHtml(sectionFileUrl(site, section, 'feed.xml'))}"`,
    `htmlUrl="${escapeHtml(`${normalizeBaseUrl(site.baseUrl)}#${sectionAnchor(section)}`)}"`,
  ];
  const description = neutralizeText(section.description);
  if (description !== '') attrs.push(`description="${escapeHtml(description)}"`);
  return `${indent}<outline ${attrs.join(' ')}/>`;
}

/**
 * OPML 2.0 listing every section's RSS feed, one outline per section, grouped like the subscribe page. No dates,
 * so the file changes only when the set of sections does.
 */
export function renderOpml(entries: readonly SectionEntry[], site: SiteOptions): string {
  const siteTitle = neutralizeText(site.title) || 'newsmux';
  const lines: string[] = [];
  for (const group of groupSections(entries)) {
    if (group.id === 'all') {
      for (const entry of group.entries) lines.push(outline(entry, site, '    '));
      continue;
    }
    lines.push(`    <outline text="${escapeHtml(group.title)}" title="${escapeHtml(group.title)}">`);
    for (const entry of group.entries) lines.push(outline(entry, site, '      '));
    lines.push('    </outline>');
  }
  return `<?xml version="1.0" encoding="UTF-8"?>
<opml version="2.0">
  <head>
    <title>${escapeHtml(siteTitle)} feeds</title>
    <docs>http://opml.org/spec2.opml</docs>
  </head>
  <body>
${lines.join('\n')}
  </body>
</opml>
`;
}
