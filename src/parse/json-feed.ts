import type { Enclosure, ParsedFeed, RawItem } from '../core/index.js';

type Json = Record<string, unknown>;

function isObject(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function str(v: unknown): string | undefined {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' && Number.isFinite(v)) return String(v);
  return undefined;
}

function escapeText(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** JSON Feed 1.0 `author` or 1.1 `authors[]`: the first name. */
function authorName(item: Json, feed: Json): string | undefined {
  const pick = (v: unknown): string | undefined => {
    if (Array.isArray(v)) {
      for (const a of v) {
        const name = isObject(a) ? str(a.name) : undefined;
        if (name?.trim()) return name;
      }
      return undefined;
    }
    return isObject(v) ? str(v.name) : undefined;
  };
  return pick(item.authors) ?? pick(item.author) ?? pick(feed.authors) ?? pick(feed.author);
}

function firstAttachment(item: Json): Enclosure | undefined {
  if (!Array.isArray(item.attachments)) return undefined;
  for (const a of item.attachments) {
    if (!isObject(a)) continue;
    const url = str(a.url);
    if (!url) continue;
    const length = typeof a.size_in_bytes === 'number' && a.size_in_bytes >= 0 ? a.size_in_bytes : undefined;
    return { url, type: str(a.mime_type), length };
  }
  return undefined;
}

/** Whether a parsed JSON value is a JSON Feed (a version URL, or at least an `items` array). */
export function isJsonFeed(doc: unknown): doc is Json {
  if (!isObject(doc)) return false;
  const version = str(doc.version);
  if (version?.startsWith('https://jsonfeed.org/version/')) return true;
  return Array.isArray(doc.items);
}

/**
 * Read a JSON Feed 1.0 or 1.1 document (https://www.jsonfeed.org/version/1.1/). One malformed item is skipped with a
 * warning; `content_text` and `summary` are plain text and come out escaped as HTML, like every RawItem text field.
 */
export function readJsonFeed(doc: Json, warnings: string[]): ParsedFeed {
  const items: RawItem[] = [];
  const list = Array.isArray(doc.items) ? doc.items : [];
  let skipped = 0;
  for (const it of list) {
    if (!isObject(it)) {
      skipped++;
      continue;
    }
    const contentHtml = str(it.content_html);
    const contentText = str(it.content_text);
    const summary = str(it.summary);
    const tags = Array.isArray(it.tags) ? it.tags.map(str).filter((t): t is string => t !== undefined) : [];
    const attachment = firstAttachment(it);
    const externalUrl = str(it.external_url);
    items.push({
      guid: str(it.id),
      link: str(it.url) ?? externalUrl,
      title: it.title === undefined ? undefined : str(it.title) !== undefined ? escapeText(str(it.title)!) : undefined,
      summary: summary !== undefined ? escapeText(summary) : undefined,
      content: contentHtml ?? (contentText !== undefined ? escapeText(contentText) : undefined),
      author: authorName(it, doc),
      published: str(it.date_published),
      updated: str(it.date_modified),
      categories: tags,
      imageUrl: str(it.image) ?? str(it.banner_image),
      enclosure: attachment,
      language: str(it.language),
    });
  }
  if (skipped > 0) warnings.push(`parse: skipped ${skipped} JSON Feed item(s) that are not objects`);
  return {
    format: 'json',
    title: str(doc.title),
    link: str(doc.home_page_url),
    language: str(doc.language),
    items,
    warnings,
  };
}
