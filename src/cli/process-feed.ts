import type { ItemKeyMode, TaggedItem, Tagger } from '../core/index.js';
import { sketchItem, titleKey } from '../dedupe/index.js';
import { normalizeFeed } from '../normalize/index.js';
import { parseFeed } from '../parse/index.js';

/** Everything the CPU part of a source's work needs: plain data, so it can cross a worker-thread boundary. */
export interface FeedBody {
  readonly sourceId: string;
  readonly sourceCountry?: string;
  readonly language?: string;
  readonly feedUrl: string;
  readonly body: Uint8Array;
  readonly contentType?: string;
  readonly previousKeyMode?: ItemKeyMode;
  readonly now: number;
  readonly nearDuplicates: boolean;
  readonly maxItems: number;
}

export interface ProcessedFeed {
  readonly items: TaggedItem[];
  readonly itemKeyMode: ItemKeyMode;
  readonly feedTitle?: string;
  readonly ttlMinutes?: number;
  readonly warnings: string[];
}

/**
 * Parse → normalize → tag → dedupe keys for one fetched body: the CPU-bound middle of a pass, done once per item
 * (sanitize once, tag from the text normalize already extracted, hash shingles once). Throws `ParseError` when the
 * body is not a feed.
 */
export function processFeed(input: FeedBody, tagger: Tagger): ProcessedFeed {
  const bytes = Buffer.from(input.body.buffer, input.body.byteOffset, input.body.byteLength);
  const feed = parseFeed(bytes, { sourceId: input.sourceId, url: input.feedUrl, contentType: input.contentType });
  const normalized = normalizeFeed(feed, {
    sourceId: input.sourceId,
    feedUrl: input.feedUrl,
    language: input.language ?? feed.language,
    now: input.now,
    previousKeyMode: input.previousKeyMode,
    maxItems: input.maxItems,
  });
  const items = normalized.items.map((item): TaggedItem => {
    const tags = tagger.tag({
      title: item.title,
      summary: item.summaryText,
      content: item.contentText,
      link: item.url,
      categories: item.categories,
      sourceCountry: input.sourceCountry,
      language: item.language ?? input.language,
    });
    // The plain text served tagging and the sketch; nothing after this stage reads it, so it does not cross to the
    // main thread (half of a feed's bytes).
    const { summaryText: _summaryText, contentText: _contentText, ...rest } = item;
    return {
      ...rest,
      tags,
      titleKey: titleKey(item.title),
      sketch: input.nearDuplicates ? sketchItem(item) : undefined,
    };
  });
  return {
    items,
    itemKeyMode: normalized.itemKeyMode,
    feedTitle: normalized.feedTitle,
    ttlMinutes: feed.ttlMinutes,
    warnings: [...feed.warnings, ...normalized.warnings],
  };
}
