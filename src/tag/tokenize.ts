/**
 * Text normalization and tokenization shared by the gazetteer (when it compiles aliases) and the tagger (when it reads
 * an item), so both sides see the same keys. One pass over the characters; no per-alias regular expressions.
 */

/** Token flags (bit set). */
export const CAPITALIZED = 1; // first character is upper-case (cased scripts only)
export const ALL_UPPER = 2; // every cased character is upper-case and there are at least two letters
export const SENTENCE_START = 4; // first token of the field or after . ! ? : ; | or a line break
export const ADJACENT = 8; // separated from the previous token by a single space (or nothing)
export const CASED = 16; // the token's script has letter case (Latin, Cyrillic, Greek, …)
export const HYPHENATED = 32; // joined to the previous token by a hyphen

/** Script of a token's first letter, for script-specific affix handling. */
export const enum Script {
  Other = 0,
  Latin = 1,
  Cyrillic = 2,
  Arabic = 3,
  Devanagari = 4,
  Bengali = 5,
  Tamil = 6,
}

/** One field's tokens as parallel arrays (reused between calls to avoid garbage). */
export class TokenBuffer {
  /** The (folded) text the tokens were read from, and its lower-case form. */
  text = '';
  lowerText = '';
  /** Lower-cased tokens, sliced on demand (see `lowerAt`): most words are never looked up. */
  lower: (string | undefined)[] = [];
  /** Hash of each lower-cased token (`hashWord`), to skip words no index has without making a string. */
  hash: number[] = [];
  len: number[] = [];
  start: number[] = [];
  flags: number[] = [];
  script: Script[] = [];
  length = 0;
  /** CJK runs (scripts written without spaces), matched separately by a character trie. */
  cjk: string[] = [];
  cjkStart: number[] = [];
  /** The field is written in capitals or title case, so capitalization tells nothing about proper nouns. */
  caseUninformative = false;
  /** Some token is in Cyrillic (its lookup key is a stem, not the word). */
  hasCyrillic = false;

  reset(): void {
    this.length = 0;
    this.cjk.length = 0;
    this.cjkStart.length = 0;
    this.caseUninformative = false;
    this.hasCyrillic = false;
  }

  push(lower: string | undefined, hash: number, start: number, len: number, flags: number, script: Script): void {
    const i = this.length++;
    this.lower[i] = lower;
    this.hash[i] = hash;
    this.start[i] = start;
    this.len[i] = len;
    this.flags[i] = flags;
    this.script[i] = script;
  }

  /** The lower-cased token. */
  lowerAt(i: number): string {
    let l = this.lower[i];
    if (l === undefined) {
      const start = this.start[i]!;
      l = this.lowerText.slice(start, start + this.len[i]!);
      this.lower[i] = l;
    }
    return l;
  }

  /** The token as written (case kept). Sliced on demand: most tokens are never shown. */
  surface(i: number): string {
    const start = this.start[i]!;
    return this.text.slice(start, start + this.len[i]!);
  }

  /** Tokens `from` (inclusive) to `to` (exclusive) as written, joined by spaces. */
  span(from: number, to: number): string {
    const parts: string[] = [];
    for (let k = from; k < to; k++) parts.push(this.surface(k));
    return parts.join(' ');
  }
}

// Character classes: 0 unknown (not yet computed), 1 word, 2 separator, 3 CJK, 4 sentence break, 5 hyphen, 6 space
const WORD = 1;
const SEP = 2;
const CJK = 3;
const BREAK = 4;
const HYPHEN = 5;
const SPACE = 6;
const charClass = new Uint8Array(65536);
const wordRe = /[\p{L}\p{M}\p{N}]/u;

function classify(code: number): number {
  let c = charClass[code]!;
  if (c !== 0) return c;
  const ch = String.fromCharCode(code);
  if ((code >= 0x3040 && code <= 0x30ff) || (code >= 0x3400 && code <= 0x4dbf) || (code >= 0x4e00 && code <= 0x9fff) || (code >= 0xf900 && code <= 0xfaff)) {
    c = CJK;
  } else if (code === 0x200d || code === 0x00ad) {
    c = WORD; // zero-width joiner / soft hyphen: inside words (removed from keys by normalizeKey)
  } else if (code === 0x200c) {
    c = SEP; // zero-width non-joiner separates Persian suffixes (ایران‌ها)
  } else if (code === 0x2010 || code === 0x2011) {
    c = HYPHEN;
  } else if (code === 0x3002 || code === 0xff01 || code === 0xff1f || code === 0x06d4 || code === 0x0964 || code === 0x2026 || code === 0x061f || code === 0xff1b) {
    c = BREAK; // 。！？ Urdu full stop, Devanagari danda, …, Arabic question mark, ；
  } else if (code === 0x00a0 || code === 0x2009 || code === 0x202f) {
    c = SPACE;
  } else if (wordRe.test(ch)) {
    c = WORD;
  } else {
    c = SEP;
  }
  charClass[code] = c;
  return c;
}
for (let i = 0; i < 128; i++) {
  const ch = String.fromCharCode(i);
  charClass[i] = /[A-Za-z0-9]/.test(ch) ? WORD : /[.!?;:|\n\r]/.test(ch) ? BREAK : ch === '-' ? HYPHEN : ch === ' ' || ch === '\t' ? SPACE : SEP;
}

function scriptOf(code: number): Script {
  if (code < 0x250) return Script.Latin;
  if (code >= 0x400 && code <= 0x52f) return Script.Cyrillic;
  if ((code >= 0x600 && code <= 0x6ff) || (code >= 0x750 && code <= 0x77f) || (code >= 0xfb50 && code <= 0xfeff)) return Script.Arabic;
  if (code >= 0x900 && code <= 0x97f) return Script.Devanagari;
  if (code >= 0x980 && code <= 0x9ff) return Script.Bengali;
  if (code >= 0xb80 && code <= 0xbff) return Script.Tamil;
  if (code >= 0x1e00 && code <= 0x1eff) return Script.Latin;
  return Script.Other;
}

const nonAscii = /[^\u0000-\u007f]/;
const needsFolding = /[\u00c0-\u024f\u0300-\u036f\u0400-\u04ff\u0600-\u06ff\u0750-\u077f\u0900-\u09ff\u1e00-\u1eff\ufb50-\ufeff\u200d\u00ad]/;
const latinMarks = /(?<=[A-Za-z])[\u0300-\u036f]+/g;
const cyrillic = /[\u0400-\u04ff]/;
const arabicScript = /[\u0600-\u06ff\u0750-\u077f\ufb50-\ufeff]/;
// Arabic-script letter variants folded to one form; short vowels, hamza marks and tatweel dropped.
const ARABIC_FOLD: Record<string, string> = {
  'ي': 'ی', 'ى': 'ی', 'ئ': 'ی', 'ے': 'ی', 'ك': 'ک', 'ة': 'ه', 'ۀ': 'ه', 'ہ': 'ه', 'ۃ': 'ه', 'ھ': 'ه', 'أ': 'ا',
  'إ': 'ا', 'آ': 'ا', 'ٱ': 'ا', 'ؤ': 'و', 'ې': 'ی', 'ۍ': 'ی',
};
const arabicFoldRe = /[يىئےكةۀہۃھأإآٱؤېۍ\u064b-\u065f\u0670\u0640]/g;
const indicMarks = /[\u093c\u09bc\u200d\u00ad]/g; // nukta (spelling varies: ज़/ज), ZWJ, soft hyphen

/**
 * Folds text so that spelling variants compare equal: NFD, Latin diacritics removed (Côte → Cote), Arabic-script
 * letter variants unified (ي/ی, ك/ک, ة/ه, أ/ا) and short vowels dropped, Indic nukta removed. Case is kept.
 */
export function foldText(text: string): string {
  // Curly quotes and dashes are common and need nothing; only letters with marks or foldable scripts do.
  if (!nonAscii.test(text) || !needsFolding.test(text)) return text;
  let s = text.normalize('NFD').replace(latinMarks, '');
  // Cyrillic й/ё decompose too; put them back together (the Latin marks above were removed after Latin letters only).
  if (cyrillic.test(s)) s = s.normalize('NFC');
  if (arabicScript.test(s)) s = s.replace(arabicFoldRe, (ch) => ARABIC_FOLD[ch] ?? '');
  return s.replace(indicMarks, '');
}

const TITLES = new Set(['mr', 'mrs', 'ms', 'dr', 'st', 'gen', 'lt', 'col', 'sgt', 'gov', 'sen', 'rep', 'prof', 'capt', 'maj', 'no', 'vs', 'jr', 'sr', 'mt', 'ft', 'rev', 'adm', 'brig', 'cpl', 'pvt', 'hon', 'supt']);

function isSentenceDot(text: string, i: number, buf: TokenBuffer): boolean {
  const next = text.charCodeAt(i + 1);
  if (!(Number.isNaN(next) || next === 32 || next === 10 || next === 13 || next === 9 || next === 34 || next === 0x201d)) return false;
  if (buf.length === 0) return true;
  const last = buf.length - 1;
  if (buf.start[last]! + buf.len[last]! !== i) return true;
  return !(buf.len[last] === 1 || (buf.len[last]! <= 5 && TITLES.has(buf.lowerAt(last))));
}

/** The hash the tokenizer gives a lower-cased word (same function both sides). */
export function hashWord(word: string): number {
  let hash = 0;
  for (let k = 0; k < word.length; k++) hash = (Math.imul(hash, 31) + word.charCodeAt(k)) | 0;
  return hash;
}

/** Whether an ASCII or other cased letter is upper-case. */
function isUpper(ch: string): boolean {
  return ch !== ch.toLowerCase();
}

/**
 * Splits one field into word tokens (letters, marks, digits; apostrophes, hyphens and dots split words) and CJK runs.
 * The text should already be folded with `foldText`.
 */
export function tokenize(text: string, buf: TokenBuffer): void {
  buf.reset();
  buf.text = text;
  const lowerText = text.toLowerCase();
  const sameLength = lowerText.length === text.length;
  buf.lowerText = lowerText;
  const n = text.length;
  let i = 0;
  let sentenceStart = true;
  let sepLen = 0; // characters since the last token
  let onlySpace = true; // separator so far is a single space / nothing
  let sawHyphen = false;
  let upperTokens = 0;
  let capTokens = 0;
  let longTokens = 0;
  while (i < n) {
    const code = text.charCodeAt(i);
    const c = code < 128 ? charClass[code]! : classify(code);
    if (c === WORD) {
      const s = i;
      // One pass over the word: find its end, hash its lower-case form, note any lower-case ASCII letter.
      let hash = lowerText.charCodeAt(i);
      let sawLowerAscii = false;
      i++;
      while (i < n) {
        const k = text.charCodeAt(i);
        if (k < 128) {
          if (charClass[k] !== WORD) break;
          if (k >= 97 && k <= 122) sawLowerAscii = true;
        } else if (classify(k) !== WORD) {
          break;
        }
        hash = (Math.imul(hash, 31) + lowerText.charCodeAt(i)) | 0;
        i++;
      }
      let lower: string | undefined;
      let flags = 0;
      if (code < 128) {
        if (!sameLength) lower = text.slice(s, i).toLowerCase();
        if (code >= 65 && code <= 90) {
          flags |= CASED | CAPITALIZED;
          if (i - s >= 2 && !sawLowerAscii) flags |= ALL_UPPER;
        } else if (code >= 97 && code <= 122) {
          flags |= CASED;
        }
      } else {
        const surface = text.slice(s, i);
        if (!sameLength) {
          lower = surface.toLowerCase();
          if (lower.length !== surface.length) lower = surface; // a rare case mapping that changes length: keep as is
        }
        const first = surface[0]!;
        if (first !== first.toUpperCase() || first !== first.toLowerCase()) {
          flags |= CASED;
          if (isUpper(first)) flags |= CAPITALIZED;
          if (surface.length >= 2 && surface === surface.toUpperCase()) flags |= ALL_UPPER;
        }
      }
      if (sentenceStart) flags |= SENTENCE_START;
      if (onlySpace && sepLen <= 1 && buf.length > 0) flags |= ADJACENT;
      if (sawHyphen && buf.length > 0) flags |= HYPHENATED;
      const script = code < 128 ? Script.Latin : scriptOf(code);
      if (script === Script.Cyrillic) buf.hasCyrillic = true;
      if (lower !== undefined) hash = hashWord(lower);
      buf.push(lower, hash, s, lower === undefined ? i - s : lower.length, flags, script);
      if (flags & CASED && i - s >= 4) {
        longTokens++;
        if (flags & CAPITALIZED) capTokens++;
        if (flags & ALL_UPPER) upperTokens++;
      }
      sentenceStart = false;
      sepLen = 0;
      onlySpace = true;
      sawHyphen = false;
    } else if (c === CJK) {
      const s = i;
      i++;
      while (i < n) {
        const k = text.charCodeAt(i);
        if ((k < 128 ? charClass[k]! : classify(k)) !== CJK) break;
        i++;
      }
      buf.cjk.push(text.slice(s, i));
      buf.cjkStart.push(s);
      sentenceStart = false;
      sepLen = 2;
      onlySpace = false;
    } else {
      if (c === BREAK) {
        // "U.S. troops", "3.5", "Mr. Jordan": a dot after an initial or a title, or inside a word, ends no sentence.
        if (code !== 46 || isSentenceDot(text, i, buf)) sentenceStart = true;
        onlySpace = false;
      } else if (c === HYPHEN) {
        sawHyphen = true;
      } else if (c !== SPACE) {
        onlySpace = false;
      }
      sepLen++;
      i++;
    }
  }
  // Title case ("Jordan Closes Border With Syria") or all capitals: capitalization is no evidence of a proper noun.
  buf.caseUninformative = longTokens >= 3 && (capTokens / longTokens >= 0.75 || upperTokens / longTokens >= 0.6);
}

/**
 * The lookup key of a name: folded, lower-cased, words joined by single spaces (so "Côte d'Ivoire", "cote d ivoire"
 * and "COTE D'IVOIRE" share a key). CJK text keeps its characters.
 */
export function normalizeKey(text: string): string {
  const buf = new TokenBuffer();
  tokenize(foldText(text), buf);
  if (buf.length === 0 && buf.cjk.length > 0) return buf.cjk.join('');
  return Array.from({ length: buf.length }, (_, i) => buf.lowerAt(i)).join(' ');
}

/** Tokens of a name, as the gazetteer stores them. */
export function nameTokens(text: string): { lower: string[]; surface: string[]; script: Script } {
  const buf = new TokenBuffer();
  tokenize(foldText(text), buf);
  return { lower: Array.from({ length: buf.length }, (_, i) => buf.lowerAt(i)), surface: Array.from({ length: buf.length }, (_, i) => buf.surface(i)), script: buf.script[0] ?? Script.Other };
}
