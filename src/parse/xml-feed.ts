import Parser from 'rss-parser';
import type { Enclosure, FeedFormat, ParsedFeed, RawItem } from '../core/index.js';
import { localName } from './detect-document.js';
import { attr, baseOf, child, childText, children, isElement, resolveAgainst, textOf, type XmlElement, type XmlNode } from './xml-node.js';

/**
 * Fields real news feeds carry beyond rss-parser's defaults, kept as the raw xml2js nodes (`keepArray`) so their
 * attributes survive: media:content/thumbnail/group, every enclosure and category, guid isPermaLink, RSS `<source url>`.
 */
const ITEM_FIELDS: [string, string, { keepArray: boolean }][] = [
  ['media:content', 'mediaContent', { keepArray: true }],
  ['media:thumbnail', 'mediaThumbnail', { keepArray: true }],
  ['media:group', 'mediaGroup', { keepArray: true }],
  ['enclosure', 'enclosureNodes', { keepArray: true }],
  ['category', 'categoryNodes', { keepArray: true }],
  ['dc:subject', 'subjectNodes', { keepArray: true }],
  ['guid', 'guidNodes', { keepArray: true }],
  ['source', 'sourceNodes', { keepArray: true }],
];

/** What rss-parser returns per item with ITEM_FIELDS, loosely typed: values are whatever the XML held. */
interface RssParserItem {
  title?: unknown;
  link?: unknown;
  guid?: unknown;
  id?: unknown;
  creator?: unknown;
  author?: unknown;
  language?: unknown;
  categories?: unknown;
  enclosure?: unknown;
  mediaContent?: XmlNode[];
  mediaThumbnail?: XmlNode[];
  mediaGroup?: XmlNode[];
  enclosureNodes?: XmlNode[];
  categoryNodes?: XmlNode[];
  subjectNodes?: XmlNode[];
  guidNodes?: XmlNode[];
  sourceNodes?: XmlNode[];
}

interface RssParserFeed {
  title?: unknown;
  link?: unknown;
  language?: unknown;
  ttl?: unknown;
  items: RssParserItem[];
}

/**
 * The parts of rss-parser's Parser that `parseString` is made of. `parseString` itself only wraps them in a Promise
 * (and dispatches on the root element, which we do here with the guards it lacks); calling them directly keeps the
 * parse synchronous, so a worker thread can run parse → normalize as one plain function call.
 */
interface RssParserSteps {
  xmlParser: { parseString(xml: string, cb: (err: unknown, result: unknown) => void): void };
  buildRSS(channel: XmlElement, items: XmlElement[]): RssParserFeed;
  buildAtomFeed(xmlObj: { feed: XmlElement }): RssParserFeed;
}

const RSS1_NS = /^http:\/\/(?:purl\.org\/rss\/1\.0\/|my\.netscape\.com\/rdf\/simple\/0\.9\/)$/;
const NS_DECL = /xmlns:([A-Za-z_][\w.-]*)\s*=\s*["']([^"']*)["']/g;

function makeParser(tagNameProcessors?: ((name: string) => string)[]): RssParserSteps {
  const parser = new Parser({
    defaultRSS: 2,
    customFields: { item: ITEM_FIELDS as never },
    xml2js: tagNameProcessors ? { tagNameProcessors } : {},
  });
  return parser as unknown as RssParserSteps;
}

/**
 * Element-name rewrites for documents whose feed vocabulary is namespace-prefixed (`<atom:feed>`, `<rss:item>` in
 * RDF, `<RDF:RDF>`): rss-parser only knows the usual spellings. Only the prefixes bound to the Atom or RSS 1.0/0.9
 * namespaces are stripped, and only when the root is of that kind, so `atom:link` inside RSS 2.0 keeps its prefix.
 */
function prefixProcessors(text: string, root: string): ((name: string) => string)[] | undefined {
  const local = localName(root);
  const isRdf = local === 'RDF' || local === 'rdf';
  if (!isRdf && !root.includes(':')) return undefined;
  const strip = new Set<string>();
  if (!isRdf) {
    // <atom:feed>, <r:rss>: the root's own prefix is the feed vocabulary.
    strip.add(root.slice(0, root.indexOf(':')));
  } else {
    const head = text.slice(0, 8192);
    NS_DECL.lastIndex = 0;
    for (let m = NS_DECL.exec(head); m; m = NS_DECL.exec(head)) if (RSS1_NS.test(m[2]!)) strip.add(m[1]!);
    if (strip.size === 0 && root === 'rdf:RDF') return undefined;
  }
  return [
    (name: string) => {
      if (isRdf && name === root) return 'rdf:RDF';
      const i = name.indexOf(':');
      return i > 0 && strip.has(name.slice(0, i)) ? name.slice(i + 1) : name;
    },
  ];
}

/** xml2js parse, synchronously; `{ error }` instead of a throw. */
export function parseXmlDocument(text: string, root: string): { doc: XmlElement } | { error: string } {
  const parser = makeParser(prefixProcessors(text, root));
  let outcome: { doc: XmlElement } | { error: string } | undefined;
  try {
    parser.xmlParser.parseString(text, (err, result) => {
      if (outcome) return;
      if (err) outcome = { error: err instanceof Error ? err.message : String(err) };
      else if (!isElement(result)) outcome = { error: 'no document element' };
      else outcome = { doc: result };
    });
  } catch (err) {
    // xml2js rethrows an error raised after the parser ended; it is still just a parse failure of this document.
    outcome ??= { error: err instanceof Error ? err.message : String(err) };
  }
  return outcome ?? { error: 'the XML parser returned nothing' };
}

function oneLine(message: string): string {
  return message.replace(/\s+/g, ' ').trim();
}

// ---------------------------------------------------------------------------------------------------------------
// Text constructs

function escapeText(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Deep text of an element that xml2js split into children (markup the CDATA pass could not wrap). */
function deepText(node: unknown): string {
  if (typeof node === 'string') return node;
  if (!isElement(node)) return '';
  let out = typeof node._ === 'string' ? node._ : '';
  for (const [k, v] of Object.entries(node)) {
    if (k === '_' || k === '$' || !Array.isArray(v)) continue;
    for (const c of v) out += ' ' + deepText(c);
  }
  return out;
}

/**
 * An Atom (0.3 / 1.0) text construct as HTML: `type="text"` (the default) escaped, `html`/`xhtml` as they are,
 * Atom 0.3 `mode="base64"` decoded. Undefined for out-of-line (`src`) or non-text media types.
 */
function atomText(node: XmlNode | undefined): string | undefined {
  if (node === undefined) return undefined;
  if (attr(node, 'src') !== undefined && textOf(node) === undefined) return undefined;
  const type = attr(node, 'type')?.trim().toLowerCase() || 'text';
  let value = textOf(node) ?? (isElement(node) ? deepText(node) : undefined);
  if (value === undefined) return undefined;
  if (attr(node, 'mode')?.toLowerCase() === 'base64') value = Buffer.from(value, 'base64').toString('utf8');
  if (type === 'text' || type === 'text/plain') return escapeText(value);
  // Atom 1.0 `xhtml` wraps content in a container div; Atom 0.3 `application/xhtml+xml` does not.
  if (type === 'xhtml') return unwrapXhtmlDiv(value);
  if (type === 'html' || type === 'text/html' || type === 'application/xhtml+xml') return value;
  if (type.endsWith('+xml') || type.endsWith('/xml')) return escapeText(value);
  return type.startsWith('text/') ? escapeText(value) : undefined;
}

/**
 * Atom `type="xhtml"` content is one XHTML `<div>` that is a container, not part of the content (RFC 4287 3.1.1.3):
 * return what is inside it, when the value is exactly one div.
 */
function unwrapXhtmlDiv(value: string): string {
  const m = /^\s*<div\b[^>]*>/.exec(value);
  if (!m) return value;
  const end = value.trimEnd();
  if (!end.endsWith('</div>')) return value;
  let depth = 0;
  const tag = /<(\/?)div\b[^>]*?(\/?)>/g;
  tag.lastIndex = 0;
  for (let t = tag.exec(value); t; t = tag.exec(value)) {
    if (t[2]) continue;
    depth += t[1] ? -1 : 1;
    if (depth === 0) return tag.lastIndex === end.length ? value.slice(m[0].length + m.index, end.length - 6) : value;
  }
  return value;
}

/** media:description (Media RSS; YouTube puts an entry's text there), in media:group or directly on the item. */
function mediaDescription(raw: XmlElement): string | undefined {
  const nodes = [...children(raw, 'media:description'), ...children(raw, 'media:group').flatMap((g) => children(g, 'media:description'))];
  for (const n of nodes) {
    const t = textOf(n);
    if (t === undefined || t.trim() === '') continue;
    return attr(n, 'type')?.toLowerCase() === 'html' ? t : escapeText(t);
  }
  return undefined;
}

/** An RSS element holding HTML (description, content:encoded, title): its text, or its deep text when split. */
function rssHtml(node: XmlNode | undefined): string | undefined {
  if (node === undefined) return undefined;
  const t = textOf(node);
  if (t !== undefined) {
    // `<description type="text/plain">`-style hints from RSS 0.9x-era generators.
    const type = attr(node, 'type')?.toLowerCase();
    return type === 'text' || type === 'text/plain' ? escapeText(t) : t;
  }
  if (isElement(node)) {
    const mode = attr(node, 'mode');
    const d = deepText(node);
    return d.trim() || mode ? d : undefined;
  }
  return undefined;
}

function firstHtml(node: XmlElement, names: string[], read: (n: XmlNode | undefined) => string | undefined): string | undefined {
  for (const name of names) {
    for (const c of children(node, name)) {
      const v = read(c);
      if (v !== undefined && v.trim() !== '') return v;
    }
  }
  return undefined;
}

function stringOf(v: unknown): string | undefined {
  if (typeof v === 'string') return v;
  return textOf(v);
}

// ---------------------------------------------------------------------------------------------------------------
// Media, enclosures, categories

const IMAGE_EXT = /\.(?:jpe?g|png|gif|webp|avif|bmp)(?:[?#]|$)/i;

function mediaImage(nodes: readonly XmlNode[], base: string | undefined): string | undefined {
  for (const n of nodes) {
    const url = attr(n, 'url')?.trim();
    if (!url) continue;
    const medium = attr(n, 'medium')?.toLowerCase();
    const type = attr(n, 'type')?.toLowerCase();
    if (medium === 'image' || type?.startsWith('image/') || (!medium && !type && IMAGE_EXT.test(url))) {
      return resolveAgainst(url, base);
    }
  }
  return undefined;
}

function thumbnail(nodes: readonly XmlNode[], base: string | undefined): string | undefined {
  for (const n of nodes) {
    const url = attr(n, 'url')?.trim();
    if (url) return resolveAgainst(url, base);
  }
  return undefined;
}

function itemImage(o: RssParserItem, raw: XmlElement, base: string | undefined): string | undefined {
  const groups = o.mediaGroup ?? [];
  const groupContent = groups.flatMap((g) => children(g, 'media:content'));
  const groupThumbs = groups.flatMap((g) => children(g, 'media:thumbnail'));
  const contents = o.mediaContent ?? [];
  return (
    mediaImage(contents, base) ??
    mediaImage(groupContent, base) ??
    thumbnail(o.mediaThumbnail ?? [], base) ??
    thumbnail(groupThumbs, base) ??
    thumbnail(contents.flatMap((c) => children(c, 'media:thumbnail')), base) ??
    (attr(child(raw, 'itunes:image'), 'href')?.trim() ? resolveAgainst(attr(child(raw, 'itunes:image'), 'href')!.trim(), base) : undefined)
  );
}

function toLength(v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  const n = Number.parseInt(v.trim(), 10);
  return Number.isFinite(n) && n >= 0 ? n : undefined;
}

function rssEnclosure(nodes: readonly XmlNode[], base: string | undefined): Enclosure | undefined {
  for (const n of nodes) {
    const url = attr(n, 'url')?.trim();
    if (!url) continue;
    return { url: resolveAgainst(url, base), type: attr(n, 'type')?.trim() || undefined, length: toLength(attr(n, 'length')) };
  }
  return undefined;
}

function categoryLabels(nodes: readonly XmlNode[]): string[] {
  const out: string[] = [];
  for (const n of nodes) {
    const t = textOf(n) ?? attr(n, 'term') ?? attr(n, 'label');
    if (t !== undefined && t.trim() !== '') out.push(t);
  }
  return out;
}

function parseIsPermaLink(node: XmlNode | undefined): boolean | undefined {
  const v = attr(node, 'isPermaLink')?.trim().toLowerCase();
  if (v === 'false') return false;
  if (v === 'true') return true;
  return undefined;
}

/** RSS `<author>` is an e-mail address, often as `jane@example.com (Jane Doe)`: keep the name when there is one. */
function rssAuthor(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const emailThenName = /^\s*[^\s@()]+@[^\s@()]+\s*\(([^()]+)\)\s*$/.exec(value);
  if (emailThenName) return emailThenName[1];
  // `Jane Doe (jane@example.com)`, split by hand: a pattern for the name before the parenthesis backtracked for
  // minutes on a long author line without one.
  const line = value.trim();
  const open = line.lastIndexOf('(');
  if (open < 0 || !line.endsWith(')')) return value;
  const name = line.slice(0, open).trim();
  const email = line.slice(open + 1, -1).trim();
  return name !== '' && !/[()]/.test(name) && /^[^\s@()]+@[^\s@()]+$/.test(email) ? name : value;
}

/** media:title (Media RSS), in media:group or directly on the item: the title of items that have no other. */
function mediaTitle(raw: XmlElement): string | undefined {
  const nodes = [...children(raw, 'media:title'), ...children(raw, 'media:group').flatMap((g) => children(g, 'media:title'))];
  for (const n of nodes) {
    const t = textOf(n);
    if (t !== undefined && t.trim() !== '') return attr(n, 'type')?.toLowerCase() === 'html' ? t : escapeText(t);
  }
  return undefined;
}

function personName(node: XmlNode | undefined): string | undefined {
  if (node === undefined) return undefined;
  const t = textOf(node);
  if (t !== undefined && t.trim() && !isElement(node)) return t;
  return childText(node, 'name', 'atom:name', 'email') ?? (t?.trim() ? t : undefined);
}

// ---------------------------------------------------------------------------------------------------------------
// Links

/** The Atom link an entry points readers at: rel="alternate" (the default), HTML first. */
function atomAlternate(links: readonly XmlNode[], base: string | undefined): string | undefined {
  let fallback: string | undefined;
  for (const l of links) {
    // Atom 0.3-era generators sometimes put the URL in the element's text instead of href.
    const href = attr(l, 'href')?.trim() ?? textOf(l)?.trim();
    if (!href) continue;
    const rel = (attr(l, 'rel') ?? 'alternate').trim().toLowerCase();
    if (rel !== 'alternate' && rel !== 'http://www.iana.org/assignments/relation/alternate') continue;
    const resolved = resolveAgainst(href, baseOf(l, base));
    const type = attr(l, 'type')?.toLowerCase();
    if (!type || type === 'text/html' || type === 'application/xhtml+xml') return resolved;
    fallback ??= resolved;
  }
  return fallback;
}

function atomEnclosure(links: readonly XmlNode[], base: string | undefined): Enclosure | undefined {
  for (const l of links) {
    if (attr(l, 'rel')?.trim().toLowerCase() !== 'enclosure') continue;
    const href = attr(l, 'href')?.trim();
    if (!href) continue;
    return { url: resolveAgainst(href, baseOf(l, base)), type: attr(l, 'type')?.trim() || undefined, length: toLength(attr(l, 'length')) };
  }
  return undefined;
}

function rssLink(raw: XmlElement, base: string | undefined): string | undefined {
  for (const l of children(raw, 'link')) {
    const t = textOf(l)?.trim();
    if (t) return resolveAgainst(t, base);
    const href = attr(l, 'href')?.trim();
    if (href) return resolveAgainst(href, base);
  }
  return atomAlternate(children(raw, 'atom:link'), base);
}

// ---------------------------------------------------------------------------------------------------------------
// Items

function hasBase(...nodes: unknown[]): boolean {
  return nodes.some((n) => attr(n, 'xml:base') !== undefined);
}

function readRssItem(o: RssParserItem, raw: XmlElement, base: string | undefined, baseIsSet: boolean): RawItem {
  const itemBase = baseOf(raw, base);
  const guidNode = (o.guidNodes ?? children(raw, 'guid'))[0];
  const enclosure = rssEnclosure(o.enclosureNodes ?? children(raw, 'enclosure'), itemBase);
  const sourceNode = (o.sourceNodes ?? children(raw, 'source'))[0];
  const categories = [
    ...categoryLabels(o.categoryNodes ?? children(raw, 'category')),
    ...categoryLabels(o.subjectNodes ?? children(raw, 'dc:subject')),
  ];
  const author =
    stringOf(o.creator)?.trim() ? stringOf(o.creator) : (childText(raw, 'dc:creator', 'author', 'dc:author', 'itunes:author') ?? personName(child(raw, 'author')));
  return {
    // RSS 1.0 items are identified by rdf:about.
    guid: nonBlank(textOf(guidNode)) ?? nonBlank(stringOf(o.guid)) ?? attr(raw, 'rdf:about'),
    guidIsPermaLink: parseIsPermaLink(guidNode),
    link: rssLink(raw, itemBase),
    title: firstHtml(raw, ['title', 'dc:title'], rssHtml) ?? nonBlank(stringOf(o.title)) ?? mediaTitle(raw),
    summary: firstHtml(raw, ['description', 'dc:description', 'summary', 'itunes:summary'], rssHtml) ?? mediaDescription(raw),
    content: firstHtml(raw, ['content:encoded', 'xhtml:body', 'body', 'content', 'fullitem'], rssHtml),
    author: rssAuthor(author),
    published: childText(raw, 'pubDate', 'dc:date', 'published', 'issued', 'dcterms:issued', 'dcterms:created'),
    updated: childText(raw, 'dcterms:modified', 'atom:updated', 'updated', 'modified'),
    categories,
    imageUrl: itemImage(o, raw, itemBase),
    enclosure,
    originTitle: textOf(sourceNode)?.trim() || undefined,
    originUrl: attr(sourceNode, 'url')?.trim() || undefined,
    language: stringOf(o.language) ?? attr(raw, 'xml:lang'),
    baseUrl: baseIsSet || hasBase(raw) ? itemBase : undefined,
  };
}

function readAtomEntry(o: RssParserItem, raw: XmlElement, feed: XmlElement, base: string | undefined, baseIsSet: boolean): RawItem {
  const entryBase = baseOf(raw, base);
  const links = children(raw, 'link');
  const contentNode = child(raw, 'content');
  const summaryNode = child(raw, 'summary');
  const contentBase = baseOf(contentNode, baseOf(summaryNode, entryBase));
  const categories = [
    ...categoryLabels(o.categoryNodes ?? children(raw, 'category')),
    ...categoryLabels(o.subjectNodes ?? children(raw, 'dc:subject')),
  ];
  const author =
    personName(child(raw, 'author')) ??
    childText(raw, 'dc:creator') ??
    (stringOf(o.creator)?.trim() ? stringOf(o.creator) : undefined) ??
    personName(child(feed, 'author'));
  const enclosure = atomEnclosure(links, entryBase) ?? rssEnclosure(o.enclosureNodes ?? [], entryBase);
  return {
    guid: childText(raw, 'id') ?? stringOf(o.id),
    link: atomAlternate(links, entryBase),
    title: firstHtml(raw, ['title'], atomText) ?? firstHtml(raw, ['dc:title'], rssHtml) ?? mediaTitle(raw),
    summary: firstHtml(raw, ['summary'], atomText) ?? firstHtml(raw, ['dc:description'], rssHtml) ?? mediaDescription(raw),
    content: firstHtml(raw, ['content'], atomText),
    author,
    published: childText(raw, 'published', 'issued', 'created', 'dc:date', 'dcterms:issued'),
    updated: childText(raw, 'updated', 'modified', 'dcterms:modified'),
    categories,
    imageUrl: itemImage(o, raw, entryBase),
    enclosure,
    language: attr(raw, 'xml:lang') ?? childText(raw, 'dc:language'),
    baseUrl: baseIsSet || hasBase(raw, contentNode, summaryNode) ? contentBase : undefined,
  };
}

/** Entry fields we read ourselves and that rss-parser would choke on (one bad date throws the whole Atom feed) or
 * spend time on (HTML snippets of every content body), left out of what we hand it. */
const RSS_SKIP = new Set(['description', 'content:encoded', 'pubDate', 'dc:date']);
const ATOM_SKIP = new Set(['content', 'summary', 'published', 'updated', 'link', 'issued', 'modified', 'created']);

function lean(node: XmlElement, skip: ReadonlySet<string>): XmlElement {
  const out: XmlElement = {};
  for (const key of Object.keys(node)) if (!skip.has(key)) out[key] = node[key];
  return out;
}

/**
 * Build items with rss-parser; when it throws on the whole list, retry item by item so one bad item never rejects the
 * feed (the bad item is read from its XML alone, with a warning).
 */
function buildItems(
  raws: XmlElement[],
  buildAll: (items: XmlElement[]) => RssParserItem[],
  warnings: string[],
): RssParserItem[] {
  try {
    const built = buildAll(raws);
    if (built.length === raws.length) return built;
  } catch {
    // Fall through to item-by-item: the failure is reported below for the items that cause it.
  }
  let failed = 0;
  const out = raws.map((item) => {
    try {
      return buildAll([item])[0] ?? {};
    } catch {
      failed++;
      return {};
    }
  });
  if (failed > 0) warnings.push(`parse: rss-parser failed on ${failed} item(s); read from their XML directly`);
  return out;
}

function toTtl(v: unknown): number | undefined {
  const s = stringOf(v);
  if (s === undefined) return undefined;
  const n = Number.parseInt(s.trim(), 10);
  return Number.isFinite(n) && n > 0 && n < 525_600 ? n : undefined;
}

function nonBlank(s: string | undefined): string | undefined {
  return s !== undefined && s.trim() !== '' ? s : undefined;
}

/** Turn a parsed XML document (root `rss`, `rdf:RDF` or `feed`) into a ParsedFeed; undefined for any other root. */
export function readXmlFeed(doc: XmlElement, docUrl: string, warnings: string[]): ParsedFeed | undefined {
  const rootName = Object.keys(doc)[0];
  if (rootName === undefined) return undefined;
  const root = doc[rootName];
  if (!isElement(root) && typeof root !== 'string') return undefined;
  const rootEl: XmlElement = isElement(root) ? root : {};
  const steps = makeParser();

  if (rootName === 'feed') {
    const base = baseOf(rootEl, docUrl);
    const baseIsSet = hasBase(rootEl);
    const entries = children(rootEl, 'entry').filter(isElement);
    let head: RssParserFeed = { items: [] };
    const feedLinks = children(rootEl, 'link');
    try {
      head = steps.buildAtomFeed({ feed: { ...lean(rootEl, ATOM_SKIP), entry: [] } });
    } catch (err) {
      warnings.push(`parse: feed header not fully readable (${oneLine(String(err))})`);
    }
    const built = buildItems(
      entries,
      (items) => steps.buildAtomFeed({ feed: { entry: items.map((e) => lean(e, ATOM_SKIP)) } }).items,
      warnings,
    );
    return {
      format: 'atom',
      title: firstHtml(rootEl, ['title'], atomText) ?? stringOf(head.title),
      link: atomAlternate(feedLinks, base),
      language: attr(rootEl, 'xml:lang') ?? childText(rootEl, 'dc:language'),
      items: entries.map((e, i) => readAtomEntry(built[i] ?? {}, e, rootEl, base, baseIsSet)),
      warnings,
    };
  }

  let format: FeedFormat;
  let channel: XmlElement;
  let rawItems: XmlElement[];
  let base = baseOf(rootEl, docUrl);
  let baseIsSet = hasBase(rootEl);
  if (rootName === 'rss') {
    format = 'rss2';
    const ch = child(rootEl, 'channel');
    channel = isElement(ch) ? ch : {};
    // A few generators put items next to the channel instead of inside it.
    rawItems = [...children(channel, 'item'), ...children(rootEl, 'item')].filter(isElement);
  } else if (rootName === 'rdf:RDF') {
    format = 'rss1';
    const ch = child(rootEl, 'channel');
    channel = isElement(ch) ? ch : {};
    rawItems = [...children(rootEl, 'item'), ...children(channel, 'item')].filter(isElement);
  } else {
    return undefined;
  }
  base = baseOf(channel, base);
  baseIsSet ||= hasBase(channel);
  let head: RssParserFeed = { items: [] };
  try {
    head = steps.buildRSS({ ...channel, item: [] }, []);
  } catch (err) {
    warnings.push(`parse: channel header not fully readable (${oneLine(String(err))})`);
  }
  const built = buildItems(rawItems, (items) => steps.buildRSS({}, items.map((i) => lean(i, RSS_SKIP))).items, warnings);
  const channelLink = nonBlank(childText(channel, 'link'));
  return {
    format,
    title: firstHtml(channel, ['title', 'dc:title'], rssHtml) ?? stringOf(head.title),
    link: channelLink ? resolveAgainst(channelLink.trim(), base) : atomAlternate(children(channel, 'atom:link'), base),
    language: nonBlank(childText(channel, 'language', 'dc:language')) ?? attr(rootEl, 'xml:lang'),
    ttlMinutes: toTtl(head.ttl ?? child(channel, 'ttl')),
    items: rawItems.map((raw, i) => readRssItem(built[i] ?? {}, raw, base, baseIsSet)),
    warnings,
  };
}
