/** The parse stage: fetched bytes → decoded text → ParsedFeed (format-neutral RawItems), or a ParseError. */
export { decodeFeedBytes, type DecodedFeed } from './decode-feed-bytes.js';
export { discoverFeedLinks } from './discover-feed-links.js';
export { parseFeed, type ParseMeta } from './parse-feed.js';
