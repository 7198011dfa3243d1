import { ParseError, type ParsedFeed } from '../core/index.js';
import { decodeFeedBytes } from './decode-feed-bytes.js';
import { detectDocument } from './detect-document.js';
import { isJsonFeed, readJsonFeed } from './json-feed.js';
import { repairXml } from './repair-xml.js';
import { stripDoctype } from './strip-doctype.js';
import { stripIllegalXmlChars } from './strip-illegal-xml-chars.js';
import { wrapMarkupInCdata } from './wrap-markup-in-cdata.js';
import { parseXmlDocument, readXmlFeed } from './xml-feed.js';

export interface ParseMeta {
  readonly sourceId: string;
  /** The URL the body came from (after redirects): the base for relative links. */
  readonly url: string;
  readonly contentType?: string;
}

function notAFeed(meta: ParseMeta, why: string, format?: string, cause?: unknown): ParseError {
  return new ParseError(
    `parse: ${meta.sourceId} (${meta.url}) is not a feed (${why})`,
    { sourceId: meta.sourceId, url: meta.url, format },
    cause === undefined ? undefined : { cause },
  );
}

function shorten(message: string): string {
  const line = message.replace(/\s+/g, ' ').trim();
  return line.length > 160 ? `${line.slice(0, 157)}...` : line;
}

/**
 * Parse a fetched feed body: RSS 0.9x/2.0, RSS 1.0 (RDF) and Atom through rss-parser (synchronously, never its
 * fetcher), JSON Feed 1.0/1.1 with our own reader. Lenient inside: illegal XML characters removed, markup in HTML
 * fields kept whole, DTDs dropped (entities are never expanded or fetched), malformed XML repaired and parsed again,
 * one bad item read from its XML alone — each noted in `warnings`. Throws `ParseError` only when the body is not a
 * feed at all (empty, an HTML page, another XML vocabulary, or XML too broken to recover).
 */
export function parseFeed(bytes: Buffer, meta: ParseMeta): ParsedFeed {
  const decoded = decodeFeedBytes(bytes, meta.contentType);
  const warnings = [...decoded.warnings];
  const cleaned = stripIllegalXmlChars(decoded.text);
  if (cleaned.removed > 0) warnings.push(`parse: removed ${cleaned.removed} character(s) that are not legal in XML`);
  const text = cleaned.text;

  const kind = detectDocument(text);
  switch (kind.kind) {
    case 'empty':
      throw notAFeed(meta, 'empty document');
    case 'html':
      throw notAFeed(meta, 'HTML page', 'html');
    case 'text':
      throw notAFeed(meta, 'neither XML nor JSON');
    case 'other-xml':
      throw notAFeed(meta, `XML document with root element <${kind.root}>`, 'xml');
    case 'json': {
      let doc: unknown;
      try {
        doc = JSON.parse(text);
      } catch (err) {
        throw notAFeed(meta, `invalid JSON: ${shorten(err instanceof Error ? err.message : String(err))}`, 'json', err);
      }
      if (!isJsonFeed(doc)) throw notAFeed(meta, 'JSON without a JSON Feed version or items', 'json');
      return readJsonFeed(doc, warnings);
    }
    case 'feed-xml':
      return parseXml(text, kind.root, meta, warnings);
  }
}

function parseXml(text: string, root: string, meta: ParseMeta, warnings: string[]): ParsedFeed {
  const dtd = stripDoctype(text);
  if (dtd.declaredEntities) warnings.push('parse: ignored the DTD and its entity declarations (never expanded)');
  const prepared = wrapMarkupInCdata(dtd.text);
  let parsed = parseXmlDocument(prepared, root);
  if ('error' in parsed) {
    const firstError = shorten(parsed.error);
    parsed = parseXmlDocument(repairXml(prepared), root);
    if ('error' in parsed) throw notAFeed(meta, `malformed XML: ${firstError}`, 'xml');
    warnings.push(`parse: malformed XML (${firstError}); recovered what could be read`);
  }
  const feed = readXmlFeed(parsed.doc, meta.url, warnings);
  if (!feed) throw notAFeed(meta, `XML document with root element <${Object.keys(parsed.doc)[0] ?? '?'}>`, 'xml');
  return feed;
}
