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
const SCRIPT_SCHEME = /\b(javascript|vbscript|livescript)(\s*):/gi;
const DATA_HTML = /\bdata(\s*):(\s*text\/html)/gi;
const EVENT_HANDLER = /\b(on[a-z]+)(\s*)=/gi;

/**
 * Makes a plain-text field (title, author, outlet name) inert in every format: illegal characters and anything
 * shaped like a tag are removed, and what could read as a script URL or an event handler is broken with a space.
 * Only hostile-looking text changes; "Gold < $2,000" stays as it is. Whitespace is collapsed.
 */
export function neutralizeText(text: string): string {
  return stripIllegalXmlChars(text)
    .replace(SCRIPT_ELEMENT, ' ')
    .replace(TAG_LIKE, ' ')
    .replace(OPENING_ANGLE, '< ')
    .replace(SCRIPT_SCHEME, '$1$2 :')
    .replace(DATA_HTML, 'data$1 :$2')
    .replace(EVENT_HANDLER, '$1$2 =')
    .replace(/\s+/g, ' ')
    .trim();
}

/**
 * The final pass over HTML that is already sanitized: text that merely looks dangerous (`javascript:` in a sentence,
 * an escaped `&lt;img onerror=…&gt;`) is entity-encoded so that no format contains those byte sequences, while
 * what a browser shows and every URL's meaning stay the same.
 */
export function defuseHtml(html: string): string {
  return html
    .replace(SCRIPT_SCHEME, '$1$2&#58;')
    .replace(DATA_HTML, 'data$1&#58;$2')
    .replace(EVENT_HANDLER, '$1$2&#61;')
    .replace(/\]\]>/g, ']]&gt;');
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
