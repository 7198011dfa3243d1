/** The normalize stage: ParsedFeed → Items (sanitized, dated, canonical links, stable ids). */
export { canonicalizeUrl } from './canonical-url.js';
export { parseFeedDate } from './dates.js';
export { normalizeFeed, type NormalizeContext, type NormalizedFeed } from './normalize-feed.js';
export { plainTextFromHtml } from './sanitize-feed-html.js';
