import type { FeedMeta } from './feed-meta.js';
import type { PreparedItem } from './prepare-items.js';

/**
 * JSON Feed 1.1 (`feed` writes 1.0). Each item carries `_newsmux`: the cluster id, every outlet that carried the
 * story (representative first), and its country codes and topic ids.
 */
export function renderJsonFeed(meta: FeedMeta, items: readonly PreparedItem[]): string {
  const doc = {
    version: 'https://jsonfeed.org/version/1.1',
    title: meta.title,
    home_page_url: meta.homeUrl,
    feed_url: meta.jsonUrl,
    description: meta.description,
    authors: [{ name: meta.generator }],
    items: items.map((item) => ({
      id: item.id,
      ...(item.url !== undefined ? { url: item.url } : {}),
      title: item.title,
      ...(item.contentHtml !== undefined ? { content_html: item.contentHtml } : { content_text: item.title }),
      ...(item.summaryText !== undefined ? { summary: item.summaryText } : {}),
      ...(item.image !== undefined ? { image: item.image.url } : {}),
      date_published: item.publishedAt.toISOString(),
      date_modified: item.updatedAt.toISOString(),
      ...(item.author !== undefined ? { authors: [{ name: item.author }] } : {}),
      ...(item.categories.length > 0 ? { tags: item.categories } : {}),
      ...(item.enclosure !== undefined
        ? {
            attachments: [
              {
                url: item.enclosure.url,
                mime_type: item.enclosure.type,
                ...(item.enclosure.length !== undefined && item.enclosure.length > 0 ? { size_in_bytes: item.enclosure.length } : {}),
              },
            ],
          }
        : {}),
      _newsmux: {
        cluster: item.id,
        source: { id: item.sourceId, name: item.sourceName, ...(item.sourceFeedUrl !== undefined ? { feed_url: item.sourceFeedUrl } : {}) },
        sources: item.sources,
        countries: item.countries,
        topics: item.topics,
      },
    })),
  };
  return `${JSON.stringify(doc, null, 2)}\n`;
}
