import { hash } from 'node:crypto';
import type { Enclosure, Item, ItemKeyMode, ParsedFeed, RawItem } from '../core/index.js';
import { absoluteHttpUrl, canonicalizeUrl, resolveHttpUrl } from './canonical-url.js';
import { parseFeedDate } from './dates.js';
import { MAX_HTML_DEPTH } from './html-parser-rules.js';
import { cleanControlChars } from './html-text.js';
import { chooseItemKeyMode, itemIdFor, itemKeyFor } from './item-identity.js';
import { plainTextFromHtml, sanitizeFeedHtml, type SanitizedHtml } from './sanitize-feed-html.js';

export interface NormalizeContext {
  readonly sourceId: string;
  /** The URL the feed was fetched from: the base for relative links when the feed sets no xml:base. */
  readonly feedUrl: string;
  /** The source's language (config, else the feed's own); an item's own language wins. */
  readonly language?: string;
  /** Now, in UTC milliseconds: the date of undated items and the cap for dates in the future. */
  readonly now: number;
  /** The key mode this source used last time, kept while it still works. */
  readonly previousKeyMode?: ItemKeyMode;
  /** Most items read from one feed: the newest by date. @defaultValue no limit */
  readonly maxItems?: number;
}

export interface NormalizedFeed {
  readonly items: Item[];
  readonly itemKeyMode: ItemKeyMode;
  readonly warnings: string[];
  /** The feed's title as plain text, when it has one. */
  readonly feedTitle?: string;
}

const DAY_MS = 86_400_000;
const TITLE_FROM_TEXT_CHARS = 100;
/** Longer titles are cut at a word: some feeds put the whole summary in the title, hostile ones megabytes. */
const MAX_TITLE_CHARS = 500;
const MAX_CATEGORIES = 50;
const MAX_LABEL_CHARS = 200;
/**
 * Of a title, author or category, only this many times its cap of characters is read: markup and entities can take
 * room, but a megabyte-long field should not cost a megabyte of work to make 500 characters of it.
 */
const FIELD_READ_FACTOR = 8;

/** An item before identity is decided. */
type Draft = Omit<Item, 'id' | 'itemKey'>;

function nonEmpty(s: string | undefined): string | undefined {
  return s !== undefined && s !== '' ? s : undefined;
}

function shortLabel(s: string): string {
  return s.length > MAX_LABEL_CHARS ? s.slice(0, MAX_LABEL_CHARS).trimEnd() : s;
}

/** The text as one line of at most `max` characters, cut at a word boundary with an ellipsis. */
function cutAtWord(text: string, max: number): string {
  const line = text.replace(/\s+/g, ' ').trim();
  if (line.length <= max) return line;
  const cut = line.slice(0, max);
  const space = cut.lastIndexOf(' ');
  return `${(space > max / 2 ? cut.slice(0, space) : cut).replace(/[\s,;:.\-–—]+$/, '')}…`;
}

/**
 * At most `max` characters of the start of an HTML field, cut before the last tag that starts within them when there
 * is one in their second half, so that no tag or reference is split (sanitizing closes what the cut leaves open).
 */
function startOf(html: string, max: number): string {
  if (html.length <= max) return html;
  const tag = html.lastIndexOf('<', max);
  return html.slice(0, tag > max / 2 ? tag : max);
}

/** Plain text of the start of a short field, read no further than its cap calls for (see FIELD_READ_FACTOR). */
function plainStart(raw: string, maxChars: number): string {
  return plainTextFromHtml(startOf(raw, maxChars * FIELD_READ_FACTOR));
}

function firstImage(html: string | undefined): string | undefined {
  if (!html || !html.includes('<img')) return undefined;
  const m = /<img\b[^>]*?\ssrc="([^"]+)"/.exec(html);
  if (!m) return undefined;
  return absoluteHttpUrl(m[1]!.replace(/&amp;/g, '&'))?.href;
}

const IMAGE_TYPE = /^image\//i;
const IMAGE_EXT = /\.(?:jpe?g|png|gif|webp|avif)(?:[?#]|$)/i;

function normalizeEnclosure(e: Enclosure | undefined, base: string): Enclosure | undefined {
  if (!e) return undefined;
  const url = resolveHttpUrl(e.url, base);
  if (!url) return undefined;
  const type = e.type?.trim().toLowerCase() || undefined;
  const length = e.length !== undefined && Number.isSafeInteger(e.length) && e.length > 0 ? e.length : undefined;
  return { url, ...(type ? { type } : {}), ...(length !== undefined ? { length } : {}) };
}

function normalizeCategories(raw: readonly string[]): string[] {
  const out: string[] = [];
  const seen = new Set<string>();
  for (const c of raw) {
    const label = shortLabel(plainStart(c, MAX_LABEL_CHARS));
    if (!label) continue;
    const key = label.toLowerCase();
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(label);
    if (out.length >= MAX_CATEGORIES) break;
  }
  return out;
}

/**
 * Summaries and contents longer than this are cut (see `startOf`). Articles run to tens of KB; a field of megabytes
 * would be published in every section feed that carries the story, to every reader that polls it.
 */
const MAX_HTML_FIELD_CHARS = 256 * 1024;

function sanitizeField(html: string | undefined, base: string, notes: ItemNotes): SanitizedHtml | undefined {
  if (html === undefined || html.trim() === '') return undefined;
  if (html.length > MAX_HTML_FIELD_CHARS) notes.cut++;
  const s = sanitizeFeedHtml(startOf(html, MAX_HTML_FIELD_CHARS), base);
  if (s.flattened) notes.flattened++;
  return s.html === '' && s.text === '' ? undefined : s;
}

/** The link of an item: its own, else its guid when that is a permalink URL (RSS: unless isPermaLink="false"). */
function itemUrl(raw: RawItem, base: string): string | undefined {
  if (raw.link !== undefined) {
    const url = canonicalizeUrl(cleanControlChars(raw.link), base);
    if (url) return url;
  }
  if (raw.guid !== undefined && raw.guidIsPermaLink !== false && /^\s*https?:\/\//i.test(raw.guid)) {
    return canonicalizeUrl(raw.guid);
  }
  return undefined;
}

/** A digest of the fields a reader sees (not a security boundary: sha1 is enough and cheaper on long content). */
function hashOf(parts: readonly (string | number | undefined)[]): string {
  return hash('sha1', parts.map((p) => (p === undefined ? '\u0000' : String(p))).join('\u0001'), 'hex').slice(0, 32);
}

/** What normalizing a feed's items ran into, for one warning each instead of one per item. */
interface ItemNotes {
  unreadable: number;
  firstUnreadable?: string;
  future: number;
  /** Summaries and contents whose markup nested too deep to keep (see sanitizeFeedHtml). */
  flattened: number;
  /** Summaries and contents cut to MAX_HTML_FIELD_CHARS. */
  cut: number;
}

/** Normalize one raw item (without its identity). Pure; never throws on feed data. */
export function normalizeItem(
  raw: RawItem,
  ctx: NormalizeContext,
  feedLanguage: string | undefined,
  notes: ItemNotes = { unreadable: 0, future: 0, flattened: 0, cut: 0 },
): Draft {
  const base = raw.baseUrl ?? ctx.feedUrl;
  const url = itemUrl(raw, base);
  // Content was written for the article page: without an xml:base, its relative links are relative to the article
  // (a feed served from a feed host would otherwise point them at the wrong site).
  const contentBase = raw.baseUrl ?? url ?? ctx.feedUrl;
  const summary = sanitizeField(raw.summary, contentBase, notes);
  const content = raw.content === raw.summary ? summary : sanitizeField(raw.content, contentBase, notes);

  let title = raw.title !== undefined ? cutAtWord(plainStart(raw.title, MAX_TITLE_CHARS), MAX_TITLE_CHARS) : '';
  if (!title) {
    const text = summary?.text || content?.text;
    title = text ? cutAtWord(text, TITLE_FROM_TEXT_CHARS) : (url ?? 'Untitled');
  }

  const author = raw.author !== undefined ? nonEmpty(shortLabel(plainStart(raw.author, MAX_LABEL_CHARS))) : undefined;
  const updated = parseFeedDate(raw.updated);
  const published = parseFeedDate(raw.published) ?? updated;
  const dateText = raw.published ?? raw.updated;
  if (published === undefined && dateText !== undefined && dateText.trim() !== '') {
    notes.unreadable++;
    notes.firstUnreadable ??= dateText.trim().slice(0, 60);
  }
  if (published !== undefined && published > ctx.now + DAY_MS) notes.future++;
  const publishedAt = published === undefined || published > ctx.now + DAY_MS ? ctx.now : published;
  const updatedAt = updated !== undefined && updated <= ctx.now + DAY_MS ? updated : undefined;

  const enclosure = normalizeEnclosure(raw.enclosure, base);
  const enclosureImage =
    enclosure && (IMAGE_TYPE.test(enclosure.type ?? '') || (!enclosure.type && IMAGE_EXT.test(enclosure.url))) ? enclosure.url : undefined;
  const imageUrl =
    resolveHttpUrl(raw.imageUrl, contentBase) ?? enclosureImage ?? firstImage(content?.html) ?? firstImage(summary?.html);

  const categories = normalizeCategories(raw.categories);
  const guid = raw.guid !== undefined ? nonEmpty(cleanControlChars(raw.guid).trim()) : undefined;
  const language = nonEmpty(raw.language?.trim()) ?? ctx.language ?? feedLanguage;

  // Only what a reader sees: a date we made up (now) is left out so an undated item does not "change" every pass.
  const contentHash = hashOf([
    url,
    title,
    summary?.html,
    content?.html,
    author,
    raw.published?.trim() ?? raw.updated?.trim(),
    imageUrl,
    enclosure?.url,
    enclosure?.type,
    enclosure?.length,
    categories.join('\u0002'),
  ]);

  return {
    sourceId: ctx.sourceId,
    ...(guid !== undefined ? { guid } : {}),
    ...(url !== undefined ? { url } : {}),
    title,
    ...(summary ? { summaryHtml: summary.html, summaryText: summary.text } : {}),
    ...(content ? { contentHtml: content.html, contentText: content.text } : {}),
    ...(author !== undefined ? { author } : {}),
    publishedAt,
    ...(updatedAt !== undefined ? { updatedAt } : {}),
    ...(imageUrl !== undefined ? { imageUrl } : {}),
    ...(enclosure ? { enclosure } : {}),
    categories,
    ...(language !== undefined ? { language } : {}),
    contentHash,
  };
}

/**
 * The feed's newest `ctx.maxItems` items, in feed order; undated items count as new (they are dated now). An archive
 * of thousands of items would otherwise be sanitized, tagged and stored whole on every change, in one batch.
 */
function newestItems(items: readonly RawItem[], ctx: NormalizeContext): readonly RawItem[] {
  const max = ctx.maxItems;
  if (max === undefined || items.length <= max) return items;
  const dateOf = (raw: RawItem) => parseFeedDate(raw.published) ?? parseFeedDate(raw.updated) ?? ctx.now;
  const newest = items
    .map((raw, index) => ({ index, at: Math.min(dateOf(raw), ctx.now) }))
    .sort((a, b) => b.at - a.at || a.index - b.index)
    .slice(0, max)
    .sort((a, b) => a.index - b.index);
  return newest.map(({ index }) => items[index] as RawItem);
}

/**
 * Normalize a parsed feed: each item sanitized, dated, linked and identified (see chooseItemKeyMode); items with the
 * same identity inside the feed become one (the first wins). Pure and synchronous, so it can run in a worker thread.
 */
export function normalizeFeed(feed: ParsedFeed, ctx: NormalizeContext): NormalizedFeed {
  const warnings: string[] = [];
  const drafts: Draft[] = [];
  let failed = 0;
  const notes: ItemNotes = { unreadable: 0, future: 0, flattened: 0, cut: 0 };
  const raws = newestItems(feed.items, ctx);
  if (raws.length < feed.items.length) {
    warnings.push(`normalize: the feed has ${feed.items.length} items; read the newest ${raws.length} (fetch.maxItemsPerFeed)`);
  }
  for (const raw of raws) {
    try {
      drafts.push(normalizeItem(raw, ctx, feed.language, notes));
    } catch (err) {
      // Defensive: normalizeItem is written not to throw on feed data; if it does, lose one item, not the feed.
      failed++;
      if (failed === 1) warnings.push(`normalize: skipped an item (${err instanceof Error ? err.message : String(err)})`);
    }
  }
  if (failed > 1) warnings.push(`normalize: skipped ${failed} items in all`);
  if (notes.unreadable > 0) {
    warnings.push(`normalize: ${notes.unreadable} item(s) with an unreadable date (such as "${notes.firstUnreadable}"); dated now`);
  }
  if (notes.future > 0) warnings.push(`normalize: ${notes.future} item(s) dated more than a day ahead; dated now`);
  if (notes.cut > 0) warnings.push(`normalize: ${notes.cut} summary or content field(s) longer than ${MAX_HTML_FIELD_CHARS / 1024} KB; cut there`);
  if (notes.flattened > 0) {
    warnings.push(`normalize: ${notes.flattened} summary or content field(s) nest HTML more than ${MAX_HTML_DEPTH} deep; kept as plain text`);
  }

  const mode = chooseItemKeyMode(drafts, ctx.previousKeyMode);
  if (mode !== ctx.previousKeyMode && (ctx.previousKeyMode !== undefined || mode !== 'guid')) {
    warnings.push(
      ctx.previousKeyMode === undefined
        ? `normalize: guids of this feed are blank or repeated; items identified by ${mode}`
        : `normalize: item identity switched from ${ctx.previousKeyMode} to ${mode}`,
    );
  }

  const items: Item[] = [];
  const seen = new Set<string>();
  let repeated = 0;
  for (const d of drafts) {
    const itemKey = itemKeyFor(d, mode);
    if (seen.has(itemKey)) {
      repeated++;
      continue;
    }
    seen.add(itemKey);
    items.push({ id: itemIdFor(ctx.sourceId, itemKey), itemKey, ...d });
  }
  if (repeated > 0) warnings.push(`normalize: merged ${repeated} repeated item(s) with the same ${mode}`);

  const feedTitle = feed.title !== undefined ? nonEmpty(plainTextFromHtml(feed.title)) : undefined;
  return { items, itemKeyMode: mode, warnings, ...(feedTitle !== undefined ? { feedTitle } : {}) };
}
