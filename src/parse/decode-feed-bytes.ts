import { isUtf8 } from 'node:buffer';
import iconv from 'iconv-lite';

/** Decoded feed text, the charset it was read with, and what was odd about it. */
export interface DecodedFeed {
  readonly text: string;
  /** The charset actually used (lower-case iconv-lite label, e.g. `utf-8`, `windows-1256`). */
  readonly charset: string;
  readonly warnings: string[];
}

/**
 * Labels that the web (WHATWG Encoding) decodes with a wider charset than the name says: ISO-8859-1 and ASCII bodies
 * are in practice windows-1252 (curly quotes in 0x80–0x9F), GB2312/GBK are GB18030 subsets, and so on.
 */
const LABEL_ALIASES: Readonly<Record<string, string>> = {
  'iso-8859-1': 'windows-1252',
  'iso8859-1': 'windows-1252',
  'iso_8859-1': 'windows-1252',
  latin1: 'windows-1252',
  l1: 'windows-1252',
  'us-ascii': 'windows-1252',
  ascii: 'windows-1252',
  cp819: 'windows-1252',
  'iso-8859-9': 'windows-1254',
  'iso-8859-11': 'windows-874',
  'tis-620': 'windows-874',
  gb2312: 'gb18030',
  gbk: 'gb18030',
  'x-gbk': 'gb18030',
  'ks_c_5601-1987': 'cp949',
  'euc-kr': 'cp949',
  'x-sjis': 'shift_jis',
  'ms_kanji': 'shift_jis',
  'windows-31j': 'shift_jis',
  'x-euc-jp': 'euc-jp',
  utf8: 'utf-8',
  'unicode-1-1-utf-8': 'utf-8',
  'x-mac-roman': 'macintosh',
  'iso-8859-8-i': 'iso-8859-8',
  unicode: 'utf-16le',
  'ucs-2': 'utf-16le',
};

/** Map a declared charset label to one iconv-lite can decode, or undefined when the label is unknown. */
export function resolveCharsetLabel(label: string): string | undefined {
  const clean = label.trim().replace(/^["']|["']$/g, '').toLowerCase();
  if (!clean) return undefined;
  const aliased = LABEL_ALIASES[clean] ?? clean;
  return iconv.encodingExists(aliased) ? aliased : undefined;
}

/** `charset=` of a Content-Type header value. */
export function charsetFromContentType(contentType: string | undefined): string | undefined {
  if (!contentType) return undefined;
  const m = /;\s*charset\s*=\s*("?)([^";\s]+)\1/i.exec(contentType);
  return m?.[2];
}

type Bom = { charset: string; length: number };

function sniffBom(bytes: Buffer): Bom | undefined {
  const [a, b, c, d] = [bytes[0], bytes[1], bytes[2], bytes[3]];
  if (a === 0xef && b === 0xbb && c === 0xbf) return { charset: 'utf-8', length: 3 };
  if (a === 0xff && b === 0xfe && c === 0 && d === 0) return { charset: 'utf-32le', length: 4 };
  if (a === 0 && b === 0 && c === 0xfe && d === 0xff) return { charset: 'utf-32be', length: 4 };
  if (a === 0xfe && b === 0xff) return { charset: 'utf-16be', length: 2 };
  if (a === 0xff && b === 0xfe) return { charset: 'utf-16le', length: 2 };
  return undefined;
}

/** XML 1.0 Appendix F: the byte pattern of `<?` tells a UTF-16/32 document without a BOM. */
function sniffWideXml(bytes: Buffer): string | undefined {
  const [a, b, c, d] = [bytes[0], bytes[1], bytes[2], bytes[3]];
  if (a === 0x3c && b === 0 && c === 0 && d === 0) return 'utf-32le';
  if (a === 0 && b === 0 && c === 0 && d === 0x3c) return 'utf-32be';
  if (a === 0x3c && b === 0 && c === 0x3f && d === 0) return 'utf-16le';
  if (a === 0 && b === 0x3c && c === 0 && d === 0x3f) return 'utf-16be';
  return undefined;
}

const PROLOG_ENCODING = /^\s*<\?xml\b[^>]*?\bencoding\s*=\s*["']([A-Za-z0-9._:-]+)["']/;

function firstNonSpaceByte(bytes: Buffer): number | undefined {
  for (let i = 0; i < bytes.length && i < 1024; i++) {
    const b = bytes[i]!;
    if (b !== 0x20 && b !== 0x09 && b !== 0x0a && b !== 0x0d) return b;
  }
  return undefined;
}

/** Whether the bytes hold at least one well-formed UTF-8 sequence of two or more bytes. */
function hasMultiByteUtf8(bytes: Buffer): boolean {
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i]!;
    if (b < 0xc2 || b > 0xf4) continue;
    const length = b < 0xe0 ? 2 : b < 0xf0 ? 3 : 4;
    if (i + length > bytes.length) return false;
    let ok = true;
    for (let k = 1; k < length && ok; k++) ok = (bytes[i + k]! & 0xc0) === 0x80;
    if (ok && isUtf8(bytes.subarray(i, i + length))) return true;
  }
  return false;
}

function isWide(charset: string): boolean {
  return charset.startsWith('utf-16') || charset.startsWith('utf-32') || charset === 'utf16' || charset === 'utf32';
}

/**
 * Decode a feed body to text. Order of authority: HTTP header charset > BOM > XML prolog `encoding` > UTF-8 (JSON is
 * UTF-8 unless a header or BOM says otherwise). Transcoding is iconv-lite (never TextDecoder: Node 20's windows-1252
 * maps 0x80–0x9F to C1 controls). An unknown label falls back to the next source of truth, with a warning; a body that
 * is not valid UTF-8 is read as windows-1252, with a warning, when nothing declares UTF-8 or when not one of its
 * characters is UTF-8 (a declared UTF-8 body with some bad bytes keeps the rest, the bad bytes as U+FFFD).
 */
export function decodeFeedBytes(bytes: Buffer, contentType?: string): DecodedFeed {
  const warnings: string[] = [];
  const bom = sniffBom(bytes);
  let charset: string | undefined;
  let declared = false;

  const headerLabel = charsetFromContentType(contentType);
  if (headerLabel) {
    charset = resolveCharsetLabel(headerLabel);
    if (charset) declared = true;
    else warnings.push(`decode: unknown charset "${headerLabel}" in Content-Type; ignored`);
    const wideBytes = bom && isWide(bom.charset) ? bom.charset : sniffWideXml(bytes);
    if (charset && wideBytes && !isWide(charset)) {
      // A UTF-16/32 body cannot be in a single-byte header charset: the header is a server default, not a fact.
      warnings.push(`decode: Content-Type says "${headerLabel}" but the body is ${wideBytes}; read as ${wideBytes}`);
      charset = wideBytes;
    }
  }
  if (!charset && bom) {
    charset = bom.charset;
    declared = true;
  }
  if (!charset) {
    const wide = sniffWideXml(bytes);
    const head = wide
      ? iconv.decode(bytes.subarray(0, 512), wide)
      : bytes.subarray(0, 1024).toString('latin1');
    const m = PROLOG_ENCODING.exec(head);
    if (m) {
      const label = m[1]!;
      const resolved = resolveCharsetLabel(label);
      if (!resolved) {
        warnings.push(`decode: unknown encoding "${label}" in the XML declaration; ignored`);
      } else if (isWide(resolved) !== Boolean(wide)) {
        // `encoding="utf-16"` on a single-byte body (or the reverse) cannot be true: trust the bytes.
        warnings.push(`decode: the XML declaration says "${label}" but the bytes are not; ignored`);
      } else {
        charset = resolved === 'utf-16' || resolved === 'utf-32' ? wide : resolved;
        declared = true;
      }
    }
    if (!charset && wide) {
      charset = wide;
      declared = true;
    }
  }
  if (!charset) {
    // Undeclared: JSON (RFC 8259) and XML default to UTF-8. A body that is not valid UTF-8 is far more likely
    // windows-1252 than broken UTF-8.
    const first = firstNonSpaceByte(bytes);
    if (isUtf8(bytes) || first === 0x7b || first === 0x5b) {
      charset = 'utf-8';
    } else {
      charset = 'windows-1252';
      warnings.push('decode: no charset declared and the body is not UTF-8; read as windows-1252');
    }
  } else if (charset === 'utf-8' && declared && !isUtf8(bytes)) {
    if (hasMultiByteUtf8(bytes)) {
      warnings.push('decode: declared UTF-8 but the body has invalid UTF-8 sequences; they became U+FFFD');
    } else {
      // Not one valid multi-byte sequence: an old CMS's Latin-1 under a UTF-8 label, not UTF-8 with a few bad bytes.
      charset = 'windows-1252';
      warnings.push('decode: declared UTF-8 but no character in the body is; read as windows-1252');
    }
  }

  let text: string;
  if (charset === 'utf-8') {
    text = bytes.toString('utf8');
  } else {
    text = iconv.decode(bytes, charset, { stripBOM: true });
  }
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  return { text, charset, warnings };
}
