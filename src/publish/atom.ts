import { Feed } from 'feed';
import type { FeedMeta } from './feed-meta.js';
import type { PreparedItem } from './prepare-items.js';
import { escapeHtml, stripIllegalXmlChars } from './plain-text.js';
import { xmlAttr } from './rss.js';

/**
 * Atom 1.0 with `feed`. Entry ids are `urn:newsmux:<story id>`; titles are `type="html"`, so the plain-text title is
 * escaped. `feed` writes `<link/>` for an entry with no link and guesses enclosure types from the file extension
 * (`image/mp3`); both are corrected after rendering.
 */
export function renderAtom(meta: FeedMeta, items: readonly PreparedItem[]): string {
  const feed = new Feed({
    id: meta.atomUrl,
    title: meta.title,
    description: meta.description,
    link: meta.homeUrl,
    updated: meta.updated,
    generator: meta.generator,
    author: { name: meta.generator },
    feedLinks: { atom: meta.atomUrl },
  });
  const attachments = new Map<string, string>();
  for (const item of items) {
    for (const a of [item.image, item.enclosure]) {
      if (a === undefined) continue;
      const length = a.length !== undefined && a.length > 0 ? ` length="${a.length}"` : '';
      attachments.set(xmlAttr(a.url), `<link rel="enclosure" href="${xmlAttr(a.url)}" type="${xmlAttr(a.type)}"${length}/>`);
    }
    feed.addItem({
      title: escapeHtml(item.title),
      id: `urn:newsmux:${item.id}`,
      link: item.url as string,
      date: item.updatedAt,
      published: item.publishedAt,
      ...(item.summaryHtml !== undefined && item.contentHtml !== undefined && item.summaryHtml !== item.contentHtml
        ? { description: item.summaryHtml }
        : {}),
      // An entry with neither content nor a link is invalid Atom (RFC 4287 §4.1.2): the title stands in.
      content: item.contentHtml ?? (item.url === undefined ? `<p>${escapeHtml(item.title)}</p>` : undefined),
      ...(item.author !== undefined ? { author: [{ name: item.author }] } : {}),
      category: item.categories.map((name) => ({ name, term: name })),
      ...(item.image !== undefined ? { image: item.image.url } : {}),
      ...(item.enclosure !== undefined && item.enclosure.url !== item.image?.url ? { enclosure: { url: item.enclosure.url } } : {}),
    });
  }
  const xml = feed
    .atom1()
    .replace(/\n[ \t]*<link\/>/g, '')
    .replace(/<link rel="enclosure" href="([^"]*)"[^>]*\/>/g, (whole, href: string) => attachments.get(href) ?? whole);
  return `${stripIllegalXmlChars(xml)}\n`;
}
