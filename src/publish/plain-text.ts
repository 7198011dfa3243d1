// Defence in depth for text that reaches published files. Items arrive sanitized from `normalize/`, but the output is
// read by other people's feed readers, so every string is made safe again here, whatever its origin.

// Characters XML 1.0 forbids (C0 controls except tab/LF/CR, U+FFFE/U+FFFF) and unpaired surrogates, which no
// encoder can write. `feed` passes all of these through and produces a file readers reject.
const ILLEGAL_XML_CHARS =
  /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** Removes characters that may not appear in an XML 1.0 document. */
export function stripIllegalXmlChars(text: string): string {
  return text.replace(ILLEGAL_XML_CHARS, '');
}

const SCRIPT_ELEMENT = /<(script|style|iframe|object|noscript|template)\b[^>]*>[\s\S]*?<\/\1\s*>/gi;
const TAG_LIKE = /<\/?[A-Za-z!?][^<>]*>/g;
const OPENING_ANGLE = /<(?=[A-Za-z!?/])/g;
// `&lt;script` in a plain-text title: a reader that treats RSS titles as HTML would show a tag-shaped string.
const ENCODED_OPENING_ANGLE = /&(lt|#0*60|#x0*3c);(?=[A-Za-z!?/])/gi;
const SCRIPT_SCHEME = /(javascript|vbscript|livescript)(\s*):/gi;
const DATA_HTML = /data(\s*):(\s*text\/html)/gi;
const EVENT_HANDLER = /(on[a-z]+)(\s*)=/gi;

/**
 * Makes a plain-text field (title, author, outlet name) inert in every format: illegal characters and anything
 * shaped like a tag are removed, and the colon of a script URL or the equals sign of an event handler becomes its
 * full-width twin (`javascript：`, `onerror＝`), which no browser or reader acts on.
 * Only hostile-looking text changes; "Gold < $2,000" stays as it is. Whitespace is collapsed.
 */
export function neutralizeText(text: string): string {
  return stripIllegalXmlChars(text)
    .replace(SCRIPT_ELEMENT, ' ')
    .replace(TAG_LIKE, ' ')
    .replace(OPENING_ANGLE, '< ')
    .replace(ENCODED_OPENING_ANGLE, '$& ')
    .replace(SCRIPT_SCHEME, '$1\uFF1A')
    .replace(DATA_HTML, 'data\uFF1A$2')
    .replace(EVENT_HANDLER, '$1\uFF1D')
    .replace(/\s+/g, ' ')
    .trim();
}

/**
 * The final pass over HTML that sanitize-html wrote (attribute values quoted and escaped, so no `>` inside a tag;
 * text escaped, so `<` is `&lt;`). In text, look-alikes are broken as in `neutralizeText`, so that a reader that
 * turns the HTML into plain text does not produce `<script>` or `onerror=`; in tags, they are entity-encoded, which
 * keeps every URL's meaning. `]]>` is escaped so the HTML fits in CDATA.
 */
export function defuseHtml(html: string): string {
  return html
    .split(/(<[^>]*>)/)
    .map((part, i) => (i % 2 === 1 ? defuseTag(part) : defuseText(part)))
    .join('');
}

function defuseText(escaped: string): string {
  return escaped
    .replace(ENCODED_OPENING_ANGLE, '$& ')
    .replace(SCRIPT_SCHEME, '$1\uFF1A')
    .replace(DATA_HTML, 'data\uFF1A$2')
    .replace(EVENT_HANDLER, '$1\uFF1D')
    .replace(/\]\]>/g, ']]&gt;');
}

function defuseTag(tag: string): string {
  return tag
    .replace(SCRIPT_SCHEME, '$1$2&#58;')
    .replace(DATA_HTML, 'data$1&#58;$2')
    // sanitize-html lets no on* attribute through, so a match is inside a quoted value: encode its `=`.
    .replace(EVENT_HANDLER, '$1$2&#61;');
}

const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Escapes text for HTML element content and quoted attribute values (also valid XML). */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c] ?? c);
}

/** Plain text from a fragment of sanitized HTML, for JSON Feed `summary`; neutralized like any plain text. */
export function htmlToText(html: string): string {
  const text = html
    .replace(/<(script|style)\b[\s\S]*?<\/\1\s*>/gi, ' ')
    .replace(/<br\s*\/?>|<\/(p|div|li|h[1-6]|blockquote|tr)>/gi, ' ')
    .replace(/<[^>]*>/g, '')
    .replace(/&(#x[0-9a-f]+|#[0-9]+|[a-z]+);/gi, (entity, body: string) => decodeEntity(entity, body));
  return neutralizeText(text);
}

const NAMED_ENTITIES: Record<string, string> = {
  amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ', ndash: '–', mdash: '—', hellip: '…',
  lsquo: '‘', rsquo: '’', ldquo: '“', rdquo: '”', laquo: '«', raquo: '»', copy: '©', reg: '®', deg: '°',
};

function decodeEntity(entity: string, body: string): string {
  if (body.startsWith('#')) {
    const code = body[1] === 'x' || body[1] === 'X' ? Number.parseInt(body.slice(2), 16) : Number.parseInt(body.slice(1), 10);
    if (!Number.isInteger(code) || code < 1 || code > 0x10ffff) return '';
    return String.fromCodePoint(code);
  }
  return NAMED_ENTITIES[body.toLowerCase()] ?? entity;
}
