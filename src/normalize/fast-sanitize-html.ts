import sanitizeHtml from 'sanitize-html';
import { IMPLIES_CLOSE, MAX_HTML_DEPTH, VOID } from './html-parser-rules.js';
import { decodeEntities, escapeHtmlText } from './html-text.js';
import { ALLOWED_ATTRIBUTES, ALLOWED_SCHEMES, ALLOWED_SCHEMES_BY_TAG, ALLOWED_TAGS, SCHEME_ATTRIBUTES, TRANSFORMS } from './sanitize-policy.js';

/**
 * A fast path for sanitize-html on the markup news feeds mostly carry: well-nested tags with quoted or simple
 * attributes, common entities. It produces exactly what sanitize-html (with htmlparser2 underneath) produces for the
 * same policy — the tests compare the two on generated markup, the fixtures and the feedparser corpus — and returns
 * undefined for anything it is not sure about: raw-text and foreign elements (script, style, svg…), comments,
 * declarations, misnested tags, implied end tags, unusual attribute syntax, rare entities, nesting deeper
 * than `MAX_HTML_DEPTH` (which sanitize-feed-html flattens, so stored HTML never nests deeper). sanitize-html
 * then does the work. It exists because sanitize-html costs several times the feed parse itself.
 */

const ALLOWED = new Set(ALLOWED_TAGS);
const SELF_CLOSING = new Set(sanitizeHtml.defaults.selfClosing);
const NON_BOOLEAN = new Set(sanitizeHtml.defaults.nonBooleanAttributes);
const ALLOWED_EMPTY = new Set((sanitizeHtml.defaults as unknown as { allowedEmptyAttributes: string[] }).allowedEmptyAttributes);
const ATTRS_FOR: ReadonlyMap<string, ReadonlySet<string>> = new Map(Object.entries(ALLOWED_ATTRIBUTES).map(([k, v]) => [k, new Set(v)]));
const ATTRS_ANY = ATTRS_FOR.get('*') ?? new Set<string>();
const SCHEME_ATTRS = new Set(SCHEME_ATTRIBUTES);

/** Elements whose content htmlparser2 or sanitize-html treat specially (raw text, foreign content, dropped text). */
const BAIL = new Set([
  'script', 'style', 'textarea', 'title', 'xmp', 'iframe', 'noembed', 'noframes', 'plaintext', 'noscript', 'template',
  'option', 'optgroup', 'select', 'svg', 'math', 'mi', 'mo', 'mn', 'ms', 'mtext', 'annotation-xml', 'foreignobject',
  'desc', 'html', 'head', 'body', 'frameset',
]);

// A start tag is its name, attributes one at a time (a single pattern repeating a group per attribute ran out of
// regular-expression stack on a tag with a million of them), then the end.
const START_TAG_NAME = /<([A-Za-z][A-Za-z0-9:-]*)/y;
const START_TAG_END = /\s*\/?>/y;
const END_TAG = /<\/([A-Za-z][A-Za-z0-9:-]*)\s*>/y;
const CUT_OFF_END_TAG = /^<\/([A-Za-z][A-Za-z0-9:-]*)$/;
const CUT_OFF_START_TAG = /^<([A-Za-z][A-Za-z0-9:-]*)[^<>]*$/;
/** Start tags htmlparser2 reads letter by letter (raw text follows them). */
const RAW_TEXT_NAMES = ['script', 'style', 'title', 'textarea', 'xmp'];
const ATTRIBUTE = /\s+([A-Za-z_:][-A-Za-z0-9_:.]*)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+)))?/y;
/**
 * An `&` that does not start a complete (`;`-terminated) reference: the fast path decodes only complete ones in
 * attribute values. A search, not a pattern for the whole value: a group repeated per character ran out of stack.
 */
const INCOMPLETE_REF = /&(?![A-Za-z][A-Za-z0-9]*;|#\d+;|#[xX][0-9A-Fa-f]+;)/;
const SRCSET_CANDIDATE = /^(\S+?)(?: ([1-9]\d*[wx]))?$/;

type Attribs = Record<string, string>;

/** The attributes of a start tag from `pos` (just after its name) and where the tag ends, or undefined to bail. */
function readAttributes(html: string, pos: number): { attribs: Attribs; end: number } | undefined {
  const attribs: Attribs = {};
  for (;;) {
    ATTRIBUTE.lastIndex = pos;
    const m = ATTRIBUTE.exec(html);
    if (!m) break;
    pos = ATTRIBUTE.lastIndex;
    const name = m[1]!.toLowerCase();
    // htmlparser2 keeps the first of duplicate attributes; rare enough to leave to it.
    if (Object.prototype.hasOwnProperty.call(attribs, name)) return undefined;
    let value = m[2] ?? m[3] ?? m[4] ?? '';
    if (value.includes('&')) {
      if (INCOMPLETE_REF.test(value)) return undefined;
      const decoded = decodeEntities(value);
      if (decoded === undefined) return undefined;
      value = decoded;
    }
    attribs[name] = value;
  }
  START_TAG_END.lastIndex = pos;
  return START_TAG_END.test(html) ? { attribs, end: START_TAG_END.lastIndex } : undefined;
}

/** launder's naughtyHref, as sanitize-html calls it with this policy (no protocol-relative URLs). */
function naughty(tag: string, href: string): boolean {
  const clean = href.replace(/[\x00-\x20]+/g, '');
  if (clean.includes('<!--')) return true;
  const m = /^([a-zA-Z][a-zA-Z0-9.\-+]*):/.exec(clean);
  if (!m) return /^[/\\]{2}/.test(clean);
  return !(ALLOWED_SCHEMES_BY_TAG[tag] ?? ALLOWED_SCHEMES).includes(m[1]!.toLowerCase());
}

/** sanitize-html's srcset handling (parse, drop naughty candidates, re-join) for the simple forms only. */
function srcset(value: string): string | null | undefined {
  const out: string[] = [];
  for (const candidate of value.split(', ')) {
    const m = SRCSET_CANDIDATE.exec(candidate);
    if (!m || m[1]!.includes(',')) return undefined;
    if (!naughty('srcset', m[1]!)) out.push(m[2] ? `${m[1]} ${m[2]}` : m[1]!);
  }
  return out.length ? out.join(', ') : null;
}

function escapeAttribute(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** The attributes sanitize-html would write for an allowed tag, or undefined to bail. */
function renderAttributes(tag: string, attribs: Attribs): string | undefined {
  const forTag = ATTRS_FOR.get(tag);
  let out = '';
  for (const name of Object.keys(attribs)) {
    let value = attribs[name]!;
    if (value === '' && !ALLOWED_EMPTY.has(name) && NON_BOOLEAN.has(name)) continue;
    if (!(forTag?.has(name) || ATTRS_ANY.has(name))) continue;
    if (SCHEME_ATTRS.has(name) && naughty(tag, value)) continue;
    if (name === 'srcset') {
      const s = srcset(value);
      if (s === undefined) return undefined;
      if (s === null) continue;
      value = s;
    }
    out += ` ${name}`;
    if (value) out += `="${escapeAttribute(value)}"`;
    else if (ALLOWED_EMPTY.has(name)) out += '=""';
  }
  return out;
}

/** Allowed elements whose boundaries are line breaks in the text form (as html-text.ts BLOCK_TAG). */
const BLOCK = new Set(['p', 'div', 'br', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'li', 'ul', 'ol', 'dl', 'dt', 'dd', 'blockquote', 'pre', 'table', 'tr', 'td', 'th', 'thead', 'tbody', 'tfoot', 'caption', 'figure', 'figcaption', 'section', 'article', 'aside', 'header', 'footer', 'main', 'hr', 'address', 'details', 'summary', 'picture', 'video', 'audio']);

/** Sanitized HTML and, before whitespace normalization, its text (what htmlToText would read from the HTML). */
export interface FastSanitized {
  readonly html: string;
  readonly rawText: string;
}

/**
 * sanitize-html's output for `html` under the feed policy, or undefined when the markup is outside the simple
 * subset. Relative URLs resolve against the base set with `withBase`. The text comes out of the same pass.
 */
export function fastSanitizeHtml(html: string): FastSanitized | undefined {
  const lastGt = html.lastIndexOf('>');
  const stack: string[] = [];
  let out = '';
  let text = '';
  let pos = 0;
  const n = html.length;
  while (pos < n) {
    const lt = html.indexOf('<', pos);
    const textEnd = lt < 0 ? n : lt;
    if (textEnd > pos) {
      const decoded = decodeEntities(html.slice(pos, textEnd));
      if (decoded === undefined) return undefined;
      out += escapeHtmlText(decoded);
      text += decoded;
    }
    if (lt < 0) break;
    // Only a `<` after the last `>` can start a tag cut off by the end of the field.
    if (lt > lastGt && isCutOffTag(html.slice(lt))) break;
    if (html.charCodeAt(lt + 1) === 0x2f /* / */) {
      END_TAG.lastIndex = lt;
      const m = END_TAG.exec(html);
      if (!m) return undefined;
      const name = m[1]!.toLowerCase();
      if (VOID.has(name) || stack[stack.length - 1] !== name) return undefined;
      stack.pop();
      if (ALLOWED.has(name) && !SELF_CLOSING.has(name)) {
        out += `</${name}>`;
        if (BLOCK.has(name)) text += '\n';
      }
      pos = END_TAG.lastIndex;
      continue;
    }
    START_TAG_NAME.lastIndex = lt;
    const m = START_TAG_NAME.exec(html);
    if (!m) return undefined;
    const name = m[1]!.toLowerCase();
    if (BAIL.has(name)) return undefined;
    const implied = IMPLIES_CLOSE.get(name);
    if (implied && stack.length > 0 && implied.has(stack[stack.length - 1]!)) return undefined;
    const tag = readAttributes(html, START_TAG_NAME.lastIndex);
    if (!tag) return undefined;
    if (ALLOWED.has(name)) {
      let attribs = tag.attribs;
      const transform = TRANSFORMS[name];
      if (transform) attribs = transform(name, attribs).attribs;
      const rendered = renderAttributes(name, attribs);
      if (rendered === undefined) return undefined;
      out += `<${name}${rendered}${SELF_CLOSING.has(name) ? ' />' : '>'}`;
      if (BLOCK.has(name)) text += '\n';
      // A void element sanitize-html does not write as self-closing gets an explicit end tag (`<wbr></wbr>`).
      if (VOID.has(name) && !SELF_CLOSING.has(name)) out += `</${name}>`;
    }
    if (!VOID.has(name) && stack.push(name) > MAX_HTML_DEPTH) return undefined;
    pos = tag.end;
  }
  // Elements still open at the end are closed there, innermost first, as htmlparser2 does.
  for (let i = stack.length - 1; i >= 0; i--) {
    const name = stack[i]!;
    if (!ALLOWED.has(name) || SELF_CLOSING.has(name)) continue;
    out += `</${name}>`;
    if (BLOCK.has(name)) text += '\n';
  }
  return { html: out, rawText: text };
}

/**
 * A tag cut off by the end of the field, as summaries cut at a length often are (`<a href="https://exa`, `</b`):
 * `rest` (the field from a `<` after its last `>`) is a start tag's name begun with no other `<` after it, or an end
 * tag's name and nothing after. htmlparser2 drops it, except when the field ends on a `/` outside a value (`<br/`) or
 * inside the name of a raw-text element (`<scr`, `<t`), which it writes as text: those are left to it.
 */
function isCutOffTag(rest: string): boolean {
  const m = CUT_OFF_END_TAG.exec(rest) ?? CUT_OFF_START_TAG.exec(rest);
  if (!m || rest.endsWith('/')) return false;
  const name = m[1]!.toLowerCase();
  return !RAW_TEXT_NAMES.some((raw) => raw.startsWith(name));
}
