/**
 * Elements whose content is HTML (or Atom text constructs that may hold XHTML). When one of them holds raw markup
 * instead of escaped or CDATA text — Atom `type="xhtml"`, `<xhtml:body>`, or a broken feed with `<br>` in a
 * description — xml2js would split it into child objects and lose the order of text and tags (or fail on an unclosed
 * `<br>`). Wrapping the inner markup in CDATA keeps it as one HTML string.
 */
const HTML_ELEMENTS = [
  'description',
  'content:encoded',
  'summary',
  'content',
  'title',
  'subtitle',
  'tagline',
  'info',
  'rights',
  'copyright',
  'dc:description',
  'xhtml:body',
  'body',
];

const SCAN = new RegExp(`<!\\[CDATA\\[|<!--|<(${HTML_ELEMENTS.map((n) => n.replace('.', '\\.')).join('|')})(?=[\\s>/])([^<>]*)>`, 'g');
const XHTML_PREFIX = /xmlns:([A-Za-z_][\w.-]*)\s*=\s*["']http:\/\/www\.w3\.org\/1999\/xhtml["']/g;

/** Wrap raw markup inside HTML-bearing elements in CDATA; returns the text unchanged (same string) when none. */
export function wrapMarkupInCdata(text: string): string {
  let prefixes: RegExp | false | undefined;
  let out: string[] | undefined;
  let copied = 0;
  const noCloser = new Set<string>();
  SCAN.lastIndex = 0;
  for (let m = SCAN.exec(text); m; m = SCAN.exec(text)) {
    const token = m[0];
    if (token === '<![CDATA[') {
      const end = text.indexOf(']]>', SCAN.lastIndex);
      if (end < 0) break;
      SCAN.lastIndex = end + 3;
      continue;
    }
    if (token === '<!--') {
      const end = text.indexOf('-->', SCAN.lastIndex);
      if (end < 0) break;
      SCAN.lastIndex = end + 3;
      continue;
    }
    const name = m[1]!;
    const attrs = m[2]!;
    if (attrs.endsWith('/') || noCloser.has(name)) continue;
    const innerStart = SCAN.lastIndex;
    const close = findCloser(text, name, innerStart);
    if (close < 0) {
      // No closer anywhere after this point: none of the later openers of this name has one either.
      noCloser.add(name);
      continue;
    }
    SCAN.lastIndex = close;
    const inner = text.slice(innerStart, close);
    if (!needsWrapping(inner)) continue;
    if (prefixes === undefined) prefixes = xhtmlPrefixPattern(text);
    let html = inner.replace(/<!\[CDATA\[([\s\S]*?)\]\]>/g, '$1');
    if (prefixes) html = html.replace(prefixes, '<$1');
    out ??= [];
    out.push(text.slice(copied, innerStart), '<![CDATA[', html.replaceAll(']]>', ']]]]><![CDATA[>'), ']]>');
    copied = close;
  }
  if (!out) return text;
  out.push(text.slice(copied));
  return out.join('');
}

function needsWrapping(inner: string): boolean {
  const lt = inner.indexOf('<');
  if (lt < 0) return false;
  if (!inner.startsWith('<![CDATA[', lt)) return true;
  // One CDATA section (possibly padded with whitespace) is already what we want.
  const end = inner.indexOf(']]>', lt + 9);
  return end < 0 || inner.indexOf('<', end + 3) >= 0;
}

/**
 * Index of the `</name>` that closes an element whose content starts at `from`: skips CDATA sections and comments
 * (a CDATA article about RSS may contain `</description>`) and counts nested same-name elements. -1 when none.
 */
function findCloser(text: string, name: string, from: number): number {
  let depth = 0;
  let pos = from;
  for (;;) {
    const lt = text.indexOf('<', pos);
    if (lt < 0) return -1;
    if (text.startsWith('<![CDATA[', lt)) {
      const end = text.indexOf(']]>', lt + 9);
      if (end < 0) return -1;
      pos = end + 3;
      continue;
    }
    if (text.startsWith('<!--', lt)) {
      const end = text.indexOf('-->', lt + 4);
      if (end < 0) return -1;
      pos = end + 3;
      continue;
    }
    const closing = text.charCodeAt(lt + 1) === 0x2f; /* / */
    const nameAt = closing ? lt + 2 : lt + 1;
    if (text.startsWith(name, nameAt)) {
      const after = text.charCodeAt(nameAt + name.length);
      if (after === 0x3e /* > */ || isSpace(after) || (!closing && after === 0x2f)) {
        if (closing) {
          if (depth === 0) return lt;
          depth--;
        } else {
          const tagEnd = text.indexOf('>', nameAt);
          if (tagEnd < 0) return -1;
          if (text.charCodeAt(tagEnd - 1) !== 0x2f) depth++;
        }
      }
    }
    pos = lt + 1;
  }
}

function xhtmlPrefixPattern(text: string): RegExp | false {
  const names = new Set<string>();
  XHTML_PREFIX.lastIndex = 0;
  for (let m = XHTML_PREFIX.exec(text); m; m = XHTML_PREFIX.exec(text)) names.add(m[1]!);
  if (names.size === 0) return false;
  return new RegExp(`<(/?)(?:${[...names].map((n) => n.replace(/[.-]/g, '\\$&')).join('|')}):`, 'g');
}

function isSpace(c: number): boolean {
  return c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d;
}
