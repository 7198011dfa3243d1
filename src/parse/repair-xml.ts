import sanitizeHtml from 'sanitize-html';

const XML_ENTITIES = new Set(['amp', 'lt', 'gt', 'quot', 'apos']);
const ENTITY_OR_AMP = /&(?:([A-Za-z][A-Za-z0-9]{0,31});|#(\d{1,7});|#[xX]([0-9A-Fa-f]{1,6});)?/g;
const START_TAG = /<([A-Za-z_][\w:.-]*)([^<>]*?)(\/?)>/y;
// An end tag; at the very end of a truncated body the `>` may be missing.
const END_TAG = /<\/([A-Za-z_][\w:.-]*)\s*(?:>|$)/y;
const ATTRIBUTE = /([^\s=/"'<>]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+)))?/g;

const entityCache = new Map<string, string | null>();
const MAX_SAX_BUFFER = 60_000;

/**
 * The character an HTML named entity stands for, or null when it is not one. Feeds use HTML entities (`&eacute;`)
 * that XML does not define; sax knows most of them, but the repair pass turns them all into numeric references so the
 * second parse cannot fail on one. Decoded through sanitize-html's parser, which carries the full WHATWG table.
 */
function decodeNamedEntity(name: string): string | null {
  let hit = entityCache.get(name);
  if (hit !== undefined) return hit;
  const decoded = sanitizeHtml(`&${name};`, { allowedTags: [], allowedAttributes: {} });
  // An unknown name comes back escaped; a legacy prefix match (`&notit;` → `¬it;`) keeps trailing characters.
  hit = decoded.startsWith('&amp;') || [...decoded].length > 2 || (decoded.endsWith(';') && name !== 'semi') ? null : decoded;
  // `&amp;`, `&lt;`, `&gt;` come back escaped by sanitize-html itself; they are XML entities and never reach here.
  if (entityCache.size < 4096) entityCache.set(name, hit);
  return hit;
}

/** Make character data XML-safe: bare `&` escaped, unknown named entities escaped, HTML ones made numeric. */
export function repairEntities(text: string): string {
  if (!text.includes('&')) return text;
  ENTITY_OR_AMP.lastIndex = 0;
  return text.replace(ENTITY_OR_AMP, (whole, name: string | undefined, dec: string | undefined, hex: string | undefined) => {
    if (name !== undefined) {
      if (XML_ENTITIES.has(name)) return whole;
      const ch = decodeNamedEntity(name);
      return ch === null ? `&amp;${name};` : [...ch].map((c) => `&#${c.codePointAt(0)};`).join('');
    }
    const code = dec !== undefined ? Number.parseInt(dec, 10) : hex !== undefined ? Number.parseInt(hex, 16) : -1;
    if (code < 0) return '&amp;';
    return isXmlChar(code) ? whole : '';
  });
}

function isXmlChar(c: number): boolean {
  return c === 0x9 || c === 0xa || c === 0xd || (c >= 0x20 && c <= 0xd7ff) || (c >= 0xe000 && c <= 0xfffd) || (c >= 0x10000 && c <= 0x10ffff);
}

function escapeAttribute(value: string): string {
  return repairEntities(value).replace(/</g, '&lt;').replace(/"/g, '&quot;');
}

function repairAttributes(raw: string): string {
  if (!raw.trim()) return '';
  const seen = new Set<string>();
  let out = '';
  ATTRIBUTE.lastIndex = 0;
  for (let m = ATTRIBUTE.exec(raw); m; m = ATTRIBUTE.exec(raw)) {
    const name = m[1]!;
    if (!/^[A-Za-z_][\w:.-]*$/.test(name) || seen.has(name)) continue;
    seen.add(name);
    const value = m[2] ?? m[3] ?? m[4] ?? name;
    // sax refuses any attribute (or comment) longer than its 64 KiB buffer; such a value is never feed metadata.
    if (value.length > MAX_SAX_BUFFER) continue;
    out += ` ${name}="${escapeAttribute(value)}"`;
  }
  return out;
}

/**
 * Light repairs for a feed that is not well-formed XML, for a second parse: junk before the document dropped,
 * stray `&` and `<` escaped, unknown entities escaped, attributes quoted and de-duplicated, mismatched end tags
 * dropped or the elements they skip closed, unclosed elements (a truncated download) closed at the end, and anything
 * after the root element dropped. CDATA sections and comments pass through; a truncated CDATA section is closed.
 * Linear in the input.
 */
export function repairXml(text: string): string {
  const decl = text.indexOf('<?xml');
  let pos = decl > 0 && !text.slice(0, decl).includes('<rss') ? decl : 0;
  if (pos === 0) {
    const first = text.indexOf('<');
    pos = first > 0 ? first : 0;
  }
  const out: string[] = [];
  const stack: string[] = [];
  let rootClosed = false;
  const n = text.length;
  while (pos < n) {
    const lt = text.indexOf('<', pos);
    const textEnd = lt < 0 ? n : lt;
    if (textEnd > pos) {
      if (stack.length > 0) out.push(repairEntities(text.slice(pos, textEnd)).replace(/]]>/g, ']]&gt;'));
      else if (!rootClosed) out.push(text.slice(pos, textEnd).replace(/[^\s]/g, ''));
    }
    if (lt < 0) break;
    pos = lt;
    if (text.startsWith('<![CDATA[', pos)) {
      const end = text.indexOf(']]>', pos + 9);
      const body = end < 0 ? text.slice(pos) + ']]>' : text.slice(pos, end + 3);
      if (stack.length > 0) out.push(body);
      pos = end < 0 ? n : end + 3;
      continue;
    }
    if (text.startsWith('<!--', pos)) {
      const end = text.indexOf('-->', pos + 4);
      if (end < 0) break;
      if (end - pos < MAX_SAX_BUFFER) out.push(`<!--${text.slice(pos + 4, end).replace(/--/g, '- -').replace(/-$/, '- ')}-->`);
      pos = end + 3;
      continue;
    }
    if (text.startsWith('<?', pos)) {
      const end = text.indexOf('?>', pos + 2);
      if (end < 0) break;
      if (stack.length === 0 && !rootClosed) out.push(text.slice(pos, end + 2));
      pos = end + 2;
      continue;
    }
    if (text.startsWith('<!', pos)) {
      // A doctype (or other declaration): never needed, never kept.
      const end = text.indexOf('>', pos + 2);
      pos = end < 0 ? n : end + 1;
      continue;
    }
    END_TAG.lastIndex = pos;
    const endTag = END_TAG.exec(text);
    if (endTag) {
      pos = END_TAG.lastIndex;
      const name = endTag[1]!;
      const at = stack.lastIndexOf(name);
      if (at >= 0) {
        while (stack.length > at) out.push(`</${stack.pop()!}>`);
        if (stack.length === 0) {
          rootClosed = true;
          break;
        }
      }
      continue;
    }
    START_TAG.lastIndex = pos;
    const startTag = START_TAG.exec(text);
    if (startTag) {
      pos = START_TAG.lastIndex;
      if (rootClosed) break;
      const name = startTag[1]!;
      const selfClosing = startTag[3] === '/';
      out.push(`<${name}${repairAttributes(startTag[2]!)}${selfClosing ? '/' : ''}>`);
      if (!selfClosing) stack.push(name);
      continue;
    }
    // A `<` that starts nothing: text, if inside the document.
    if (stack.length > 0) out.push('&lt;');
    pos++;
  }
  while (stack.length > 0) out.push(`</${stack.pop()!}>`);
  return out.join('');
}
