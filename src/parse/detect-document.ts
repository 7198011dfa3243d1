/** What a decoded body looks like before any real parsing. */
export type DocumentKind =
  | { readonly kind: 'empty' }
  | { readonly kind: 'json' }
  | { readonly kind: 'html' }
  | { readonly kind: 'feed-xml'; readonly root: string }
  | { readonly kind: 'other-xml'; readonly root: string }
  | { readonly kind: 'text' };

const HTML_ROOTS = new Set(['html', 'head', 'body', 'div', 'p', 'script', 'meta', 'title', 'table', 'a', 'span', 'br', 'link', 'style', 'iframe', 'form', 'center', 'h1', 'h2', 'img', 'pre', 'noscript']);
const NAME = /[A-Za-z_][\w:.-]*/y;

/** The local part of an element name (`atom:feed` → `feed`). */
export function localName(name: string): string {
  const i = name.indexOf(':');
  return i < 0 ? name : name.slice(i + 1);
}

/** True when the root element names a feed syntax this parser reads (RSS 0.9x–2.0, RSS 1.0 RDF, Atom 0.3/1.0). */
export function isFeedRoot(root: string): boolean {
  const local = localName(root);
  return local === 'rss' || local === 'feed' || local === 'RDF' || local === 'rdf';
}

/**
 * Classify a body by its first significant characters: JSON, an HTML page, an XML document and its root element.
 * Skips the XML declaration, comments, processing instructions and a doctype; never scans past the first element.
 */
export function detectDocument(text: string): DocumentKind {
  let i = 0;
  const n = text.length;
  for (;;) {
    while (i < n && isSpace(text.charCodeAt(i))) i++;
    if (i >= n) return { kind: 'empty' };
    const c = text[i];
    if (c === '{' || c === '[') return { kind: 'json' };
    if (c !== '<') {
      // Junk before the document (a PHP warning, a stray line): look for the XML declaration or the first tag.
      const next = text.indexOf('<', i);
      if (next < 0) return { kind: 'text' };
      const decl = text.indexOf('<?xml', i);
      const root = text.slice(next, next + 200).match(/^<(rss|feed|rdf:RDF|html)\b/i);
      if (decl < 0 && !root) return { kind: 'text' };
      i = decl >= 0 ? decl : next;
      continue;
    }
    if (text.startsWith('<?', i)) {
      const end = text.indexOf('?>', i + 2);
      if (end < 0) return { kind: 'text' };
      i = end + 2;
      continue;
    }
    if (text.startsWith('<!--', i)) {
      const end = text.indexOf('-->', i + 4);
      if (end < 0) return { kind: 'text' };
      i = end + 3;
      continue;
    }
    if (text.startsWith('<!', i)) {
      const end = skipDoctype(text, i);
      if (end < 0) return { kind: 'text' };
      i = end;
      continue;
    }
    NAME.lastIndex = i + 1;
    const m = NAME.exec(text);
    if (!m) return { kind: 'text' };
    const root = m[0];
    if (isFeedRoot(root)) return { kind: 'feed-xml', root };
    if (HTML_ROOTS.has(root.toLowerCase())) return { kind: 'html' };
    return { kind: 'other-xml', root };
  }
}

/** Index just past a `<!DOCTYPE …>` starting at `start`, internal subset included; -1 when unterminated. */
export function skipDoctype(text: string, start: number): number {
  let i = start + 2;
  let inSubset = false;
  let quote = '';
  for (; i < text.length; i++) {
    const c = text[i];
    if (quote) {
      if (c === quote) quote = '';
    } else if (c === '"' || c === "'") {
      quote = c;
    } else if (c === '[') {
      inSubset = true;
    } else if (c === ']') {
      inSubset = false;
    } else if (c === '>' && !inSubset) {
      return i + 1;
    }
  }
  return -1;
}

function isSpace(c: number): boolean {
  return c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d;
}
