import { type PublishedItem, countryName, isCountryCode, isTopicId, topicTitle } from '../core/index.js';
import { escapeHtml, htmlToText, neutralizeText } from './plain-text.js';
import { safeHttpUrl } from './safe-url.js';
import { sanitizeOutputHtml } from './sanitize-output-html.js';

/** A file attached to a story, with a MIME type we are willing to state. */
export interface PreparedAttachment {
  readonly url: string;
  readonly type: string;
  readonly length?: number;
}

/** One story, every field checked and made safe: what the three writers render, byte for byte the same each time. */
export interface PreparedItem {
  readonly id: string;
  readonly url?: string;
  /** Neutralized plain text, never empty. */
  readonly title: string;
  readonly summaryHtml?: string;
  readonly summaryText?: string;
  /** Content, or the summary when there is no content, ending with "Also reported by …" when others carried it. */
  readonly contentHtml?: string;
  readonly author?: string;
  readonly publishedAt: Date;
  readonly updatedAt: Date;
  readonly image?: PreparedAttachment;
  readonly enclosure?: PreparedAttachment;
  readonly sourceId: string;
  readonly sourceName: string;
  readonly sourceFeedUrl?: string;
  readonly countries: readonly string[];
  readonly topics: readonly string[];
  /** Country names, then topic titles. */
  readonly categories: readonly string[];
  readonly sources: readonly { readonly id: string; readonly name: string; readonly url?: string }[];
}

/** Why a story or one of its fields was left out. */
export interface ItemProblem {
  readonly itemId: string;
  readonly field: string;
  readonly reason: string;
  /** True when the whole story was dropped, false when only the field was. */
  readonly dropped: boolean;
}

const IMAGE_TYPES: Record<string, string> = {
  jpg: 'image/jpeg', jpeg: 'image/jpeg', png: 'image/png', gif: 'image/gif', webp: 'image/webp', avif: 'image/avif',
  svg: 'image/svg+xml', bmp: 'image/bmp',
};

function imageType(url: string): string {
  const ext = /\.([a-z0-9]{2,5})$/i.exec(new URL(url).pathname)?.[1]?.toLowerCase();
  return (ext !== undefined ? IMAGE_TYPES[ext] : undefined) ?? 'image/jpeg';
}

const MIME = /^[a-z0-9][a-z0-9!#$&^_.+-]{0,63}\/[a-z0-9][a-z0-9!#$&^_.+-]{0,63}$/i;

const SAFE_ID = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/;

/**
 * Checks and cleans stories for publishing, newest first (ties by id, so the order is stable). A story whose id or
 * time is unusable, or whose link is present but cannot be made an absolute http(s) URL, is dropped; a bad image,
 * enclosure or outlet link only loses that field. Problems are returned for the caller to log.
 */
export function prepareItems(items: readonly PublishedItem[]): { items: PreparedItem[]; problems: ItemProblem[] } {
  const problems: ItemProblem[] = [];
  const prepared: PreparedItem[] = [];
  const seen = new Set<string>();
  for (const item of items) {
    const result = prepareItem(item, problems);
    if (result === undefined) continue;
    if (seen.has(result.id)) {
      problems.push({ itemId: result.id, field: 'id', reason: 'the same story appears twice in the section', dropped: true });
      continue;
    }
    seen.add(result.id);
    prepared.push(result);
  }
  prepared.sort((a, b) => b.publishedAt.getTime() - a.publishedAt.getTime() || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return { items: prepared, problems };
}

function prepareItem(item: PublishedItem, problems: ItemProblem[]): PreparedItem | undefined {
  const drop = (field: string, reason: string): undefined => {
    problems.push({ itemId: String(item.id), field, reason, dropped: true });
    return undefined;
  };
  const omit = (field: string, reason: string): void => {
    problems.push({ itemId: item.id, field, reason, dropped: false });
  };

  if (typeof item.id !== 'string' || !SAFE_ID.test(item.id)) return drop('id', 'not a usable story id');
  if (!Number.isFinite(item.publishedAt)) return drop('publishedAt', 'not a time');
  const publishedAt = new Date(item.publishedAt);
  if (Number.isNaN(publishedAt.getTime())) return drop('publishedAt', 'out of range');
  const updatedMs = Number.isFinite(item.updatedAt) ? Math.max(item.updatedAt, item.publishedAt) : item.publishedAt;
  const updatedAt = new Date(updatedMs);
  if (Number.isNaN(updatedAt.getTime())) return drop('updatedAt', 'out of range');

  const sourceFeedUrl = safeHttpUrl(item.sourceFeedUrl);
  if (sourceFeedUrl === undefined) omit('sourceFeedUrl', 'not an absolute http(s) URL');

  let url: string | undefined;
  if (item.url !== undefined && item.url.trim() !== '') {
    url = safeHttpUrl(item.url, sourceFeedUrl);
    if (url === undefined) return drop('url', 'link is not an http(s) URL, even resolved against the source feed');
  }

  const title = neutralizeText(item.title ?? '') || neutralizeText(htmlToText(item.summaryHtml ?? item.contentHtml ?? '')).slice(0, 120) || 'Untitled';

  let image: PreparedAttachment | undefined;
  if (item.imageUrl !== undefined) {
    const imageUrl = safeHttpUrl(item.imageUrl, url ?? sourceFeedUrl);
    if (imageUrl === undefined) omit('imageUrl', 'not an http(s) URL');
    else image = { url: imageUrl, type: imageType(imageUrl) };
  }

  let enclosure: PreparedAttachment | undefined;
  if (item.enclosure !== undefined) {
    const encUrl = safeHttpUrl(item.enclosure.url, url ?? sourceFeedUrl);
    if (encUrl === undefined) omit('enclosure', 'not an http(s) URL');
    else {
      // Parameters (`; charset=…`) are dropped: RSS and Atom readers expect a bare media type.
      const bare = item.enclosure.type?.split(';')[0]?.trim().toLowerCase();
      const type = bare !== undefined && MIME.test(bare) ? bare : 'application/octet-stream';
      const length = item.enclosure.length;
      enclosure = {
        url: encUrl,
        type,
        ...(length !== undefined && Number.isSafeInteger(length) && length >= 0 ? { length } : {}),
      };
    }
  }

  const sourceName = neutralizeText(item.sourceName ?? '') || item.sourceId;
  const others = item.alsoReportedBy
    .map((o) => ({ id: o.sourceId, name: neutralizeText(o.sourceName) || o.sourceId, url: safeHttpUrl(o.url) }))
    .filter((o) => o.id !== '' && o.name !== '');
  const sources = [{ id: item.sourceId, name: sourceName, ...(url !== undefined ? { url } : {}) }, ...others.map(withoutUndefined)];

  const summaryHtml = nonEmpty(item.summaryHtml !== undefined ? sanitizeOutputHtml(item.summaryHtml, url ?? sourceFeedUrl) : undefined);
  const bodyHtml = nonEmpty(item.contentHtml !== undefined ? sanitizeOutputHtml(item.contentHtml, url ?? sourceFeedUrl) : undefined) ?? summaryHtml;
  const alsoHtml = others.length > 0 ? alsoReportedByHtml(others) : undefined;
  const contentHtml = bodyHtml !== undefined && alsoHtml !== undefined ? `${bodyHtml}\n${alsoHtml}` : (bodyHtml ?? alsoHtml);
  const summaryText = summaryHtml !== undefined ? nonEmpty(htmlToText(summaryHtml)) : undefined;

  const countries = [...new Set(item.tags.countries.map((c) => c.toUpperCase()).filter(isCountryCode))];
  const topics = [...new Set(item.tags.topics.filter(isTopicId))];
  const author = item.author !== undefined ? nonEmpty(neutralizeText(item.author)) : undefined;

  return {
    id: item.id,
    ...(url !== undefined ? { url } : {}),
    title,
    ...(summaryHtml !== undefined ? { summaryHtml } : {}),
    ...(summaryText !== undefined ? { summaryText } : {}),
    ...(contentHtml !== undefined ? { contentHtml } : {}),
    ...(author !== undefined ? { author } : {}),
    publishedAt,
    updatedAt,
    ...(image !== undefined ? { image } : {}),
    ...(enclosure !== undefined ? { enclosure } : {}),
    sourceId: item.sourceId,
    sourceName,
    ...(sourceFeedUrl !== undefined ? { sourceFeedUrl } : {}),
    countries,
    topics,
    categories: [...countries.map(countryName), ...topics.map(topicTitle)],
    sources,
  };
}

function nonEmpty(s: string | undefined): string | undefined {
  return s === undefined || s.trim() === '' ? undefined : s;
}

function withoutUndefined(o: { id: string; name: string; url: string | undefined }): { id: string; name: string; url?: string } {
  return o.url !== undefined ? { id: o.id, name: o.name, url: o.url } : { id: o.id, name: o.name };
}

function alsoReportedByHtml(others: readonly { name: string; url: string | undefined }[]): string {
  const links = others.map((o) =>
    o.url !== undefined ? `<a href="${escapeHtml(o.url)}">${escapeHtml(o.name)}</a>` : escapeHtml(o.name),
  );
  return `<p>Also reported by: ${links.join(', ')}</p>`;
}
