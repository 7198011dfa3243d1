/** Small, fast text helpers shared by sanitizing and normalizing: entity decoding, escaping, HTML → plain text. */

const LATIN1_NAMES = (
  'nbsp iexcl cent pound curren yen brvbar sect uml copy ordf laquo not shy reg macr deg plusmn sup2 sup3 acute ' +
  'micro para middot cedil sup1 ordm raquo frac14 frac12 frac34 iquest Agrave Aacute Acirc Atilde Auml Aring AElig ' +
  'Ccedil Egrave Eacute Ecirc Euml Igrave Iacute Icirc Iuml ETH Ntilde Ograve Oacute Ocirc Otilde Ouml times Oslash ' +
  'Ugrave Uacute Ucirc Uuml Yacute THORN szlig agrave aacute acirc atilde auml aring aelig ccedil egrave eacute ecirc ' +
  'euml igrave iacute icirc iuml eth ntilde ograve oacute ocirc otilde ouml divide oslash ugrave uacute ucirc uuml ' +
  'yacute thorn yuml'
).split(' ');

/** The entities feeds actually use, decoded without a full HTML parser; anything else goes to sanitize-html. */
const NAMED: ReadonlyMap<string, string> = new Map<string, string>([
  ...LATIN1_NAMES.map((name, i): [string, string] => [name, String.fromCharCode(0xa0 + i)]),
  ['amp', '&'], ['lt', '<'], ['gt', '>'], ['quot', '"'], ['apos', "'"], ['AMP', '&'], ['LT', '<'], ['GT', '>'],
  ['QUOT', '"'], ['COPY', '©'], ['REG', '®'], ['ndash', '–'], ['mdash', '—'], ['lsquo', '‘'], ['rsquo', '’'],
  ['sbquo', '‚'], ['ldquo', '“'], ['rdquo', '”'], ['bdquo', '„'], ['hellip', '…'], ['lsaquo', '‹'], ['rsaquo', '›'],
  ['trade', '™'], ['bull', '•'], ['euro', '€'], ['dagger', '†'], ['Dagger', '‡'], ['permil', '‰'], ['prime', '′'],
  ['Prime', '″'], ['thinsp', '\u2009'], ['ensp', '\u2002'], ['emsp', '\u2003'], ['zwnj', '\u200c'], ['zwj', '\u200d'],
  ['lrm', '\u200e'], ['rlm', '\u200f'], ['oline', '‾'], ['larr', '←'], ['rarr', '→'], ['uarr', '↑'], ['darr', '↓'],
  ['OElig', 'Œ'], ['oelig', 'œ'], ['Scaron', 'Š'], ['scaron', 'š'], ['Yuml', 'Ÿ'], ['circ', 'ˆ'], ['tilde', '˜'],
  ['fnof', 'ƒ'], ['minus', '−'], ['infin', '∞'], ['ne', '≠'], ['le', '≤'], ['ge', '≥'], ['star', '☆'],
]);

/** Entities the HTML parser also decodes without a semicolon; a name starting with one of these is left to it. */
const LEGACY = [...LATIN1_NAMES, 'amp', 'lt', 'gt', 'quot', 'AMP', 'LT', 'GT', 'QUOT', 'COPY', 'REG'];

/** HTML maps numeric references 0x80–0x9F to windows-1252 characters (a numeric reference to a C1 control is a
 * windows-1252 byte written as a number). */
const C1_TO_CP1252: readonly (number | undefined)[] = [
  0x20ac, undefined, 0x201a, 0x0192, 0x201e, 0x2026, 0x2020, 0x2021, 0x02c6, 0x2030, 0x0160, 0x2039, 0x0152,
  undefined, 0x017d, undefined, undefined, 0x2018, 0x2019, 0x201c, 0x201d, 0x2022, 0x2013, 0x2014, 0x02dc, 0x2122,
  0x0161, 0x203a, 0x0153, undefined, 0x017e, 0x0178,
];

function fromCodePoint(code: number): string {
  if (code >= 0x80 && code <= 0x9f) {
    const mapped = C1_TO_CP1252[code - 0x80];
    return mapped === undefined ? String.fromCharCode(code) : String.fromCharCode(mapped);
  }
  if (code === 0 || code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff)) return '\ufffd';
  return String.fromCodePoint(code);
}

const ENTITY = /&(?:#(\d{1,8})|#[xX]([0-9a-fA-F]{1,7})|([A-Za-z][A-Za-z0-9]{0,31}))(;?)/g;

/**
 * Decode HTML character references the way an HTML parser would, for the common cases; undefined when the text holds
 * a reference this table does not know (the caller then lets sanitize-html's full parser decode it).
 */
export function decodeEntities(s: string): string | undefined {
  if (!s.includes('&')) return s;
  let unknown = false;
  ENTITY.lastIndex = 0;
  const out = s.replace(ENTITY, (whole, dec: string | undefined, hex: string | undefined, name: string | undefined, semi: string) => {
    if (dec !== undefined) return fromCodePoint(Number.parseInt(dec, 10));
    if (hex !== undefined) return fromCodePoint(Number.parseInt(hex, 16));
    if (semi) {
      const v = NAMED.get(name!);
      if (v !== undefined) return v;
      unknown = true;
      return whole;
    }
    if (LEGACY.some((l) => name!.startsWith(l))) unknown = true;
    return whole;
  });
  return unknown ? undefined : out;
}

/** Escape text for HTML element content (the same characters sanitize-html escapes). */
export function escapeHtmlText(s: string): string {
  if (!/[&<>]/.test(s)) return s;
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

const BLOCK_TAG =
  /<\/?(?:p|div|br|h[1-6]|li|ul|ol|dl|dt|dd|blockquote|pre|table|tr|td|th|thead|tbody|tfoot|caption|figure|figcaption|section|article|aside|header|footer|main|hr|address|details|summary|picture|video|audio)\b[^>]*>/gi;
const ANY_TAG = /<[^>]*>/g;
const OUTPUT_ENTITY = /&(amp|lt|gt|quot|#39);/g;
const OUTPUT_ENTITIES: Readonly<Record<string, string>> = { amp: '&', lt: '<', gt: '>', quot: '"', '#39': "'" };

/**
 * Plain text of sanitized HTML (as sanitize-html writes it: only `&amp; &lt; &gt; &quot;` references): block
 * boundaries become line breaks, other tags vanish, whitespace collapses within lines, blank lines are dropped.
 */
export function htmlToText(html: string): string {
  let s = html;
  if (s.includes('<')) s = s.replace(BLOCK_TAG, '\n').replace(ANY_TAG, '');
  if (s.includes('&')) s = s.replace(OUTPUT_ENTITY, (_, n: string) => OUTPUT_ENTITIES[n]!);
  return normalizeText(s);
}

// Whitespace runs other than one plain space: with line breaks in the text, only within a line. Matching only these
// leaves most of a text as it is; a pattern that matched every space rebuilt every text (a tenth of the feed thread's
// time in a cold pass).
const ODD_SPACE = / \s+|[^\S ]\s*/g;
const ODD_SPACE_IN_LINE = / [^\S\n\r]+|[^\S\n\r ][^\S\n\r]*/g;
// After ODD_SPACE_IN_LINE, at most one space precedes a line break.
const LINE_BREAK_RUN = / ?[\n\r]\s*/g;

/** Collapse whitespace within lines, trim lines, drop empty lines. */
export function normalizeText(s: string): string {
  if (!s.includes('\n') && !s.includes('\r')) return s.replace(ODD_SPACE, ' ').trim();
  // Any whitespace run holding a line break becomes one break (blank lines and indentation go); other runs, a space.
  return s.replace(ODD_SPACE_IN_LINE, ' ').replace(LINE_BREAK_RUN, '\n').trim();
}

const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\uFFFE\uFFFF]/;
const CONTROL_G = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\uFFFE\uFFFF]/g;

/**
 * Remove control characters no feed reader wants (and XML forbids), mapping C1 controls to the windows-1252
 * characters they almost always were (a `&#150;` in XML is U+0096, meant as an en dash).
 */
export function cleanControlChars(s: string): string {
  if (!CONTROL.test(s)) return s;
  return s.replace(CONTROL_G, (c) => {
    const code = c.charCodeAt(0);
    if (code >= 0x80 && code <= 0x9f) {
      const mapped = C1_TO_CP1252[code - 0x80];
      return mapped === undefined ? '' : String.fromCharCode(mapped);
    }
    return '';
  });
}
