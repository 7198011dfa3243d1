import { Feed } from 'feed';
import type { FeedMeta } from './feed-meta.js';
import type { PreparedItem } from './prepare-items.js';
import { stripIllegalXmlChars } from './plain-text.js';

/** Escapes a value we hand to xml-js as an attribute: it escapes only `"` itself. */
export function xmlAttr(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

// xml-js (under `feed`) closes only the first `]]>` inside CDATA, so a second one would end the section early.
function cdataSafeText(text: string): string {
  return text.replace(/\]\]>/g, ']] >');
}

/** RSS 2.0 with `feed`, plus the `<source url>` element it lacks. */
export function renderRss(meta: FeedMeta, items: readonly PreparedItem[]): string {
  const feed = new Feed({
    title: meta.title,
    description: meta.description,
    id: meta.homeUrl,
    link: meta.homeUrl,
    updated: meta.updated,
    generator: meta.generator,
    feedLinks: { rss: meta.rssUrl },
  });
  for (const item of items) {
    const attachment = item.enclosure ?? item.image;
    const description = item.summaryHtml ?? item.contentHtml;
    feed.addItem({
      title: cdataSafeText(item.title),
      id: item.id,
      guid: item.id,
      // `feed` wants a link; an item without one keeps its guid and gets no <link>.
      link: item.url as string,
      date: item.updatedAt,
      published: item.publishedAt,
      // description: the summary, else the content; content:encoded only when it says more than the description.
      ...(description !== undefined ? { description } : {}),
      ...(item.contentHtml !== undefined && item.contentHtml !== description ? { content: item.contentHtml } : {}),
      ...(item.author !== undefined ? { author: [{ name: item.author }] } : {}),
      category: item.categories.map((name) => ({ name })),
      ...(attachment !== undefined
        ? { enclosure: { url: attachment.url, type: attachment.type, length: attachment.length ?? 0 } }
        : {}),
      extensions:
        item.sourceFeedUrl !== undefined
          ? [{ name: 'source', objects: { _text: item.sourceName, _attributes: { url: xmlAttr(item.sourceFeedUrl) } } }]
          : [],
    });
  }
  return `${stripIllegalXmlChars(feed.rss2())}\n`;
}
