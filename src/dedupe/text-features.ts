import { type Figure, asCalendar, figureOf, multiplierOf, numberWordValue, parseFigure } from './numbers.js';
import { COUNTRY_WORDS } from './country-names.js';
import { COMMON_NEWS_WORDS, MONTHS, STOPWORDS, WEEKDAYS } from './stopwords.js';
import { cleanBody, cleanTitle } from './strip-boilerplate.js';

/** What the near-duplicate check reads from one item's title and lede. */
export interface TextFeatures {
  /** Content words of the headline: lower-cased, stemmed, stopwords out; figures as `#…`. */
  readonly titleTokens: readonly string[];
  /** The first `LEDE_TOKENS` distinct content words of the body, in order. */
  readonly ledeTokens: readonly string[];
  readonly titleFigures: readonly Figure[];
  /** Figures of the body window, in order of first appearance. */
  readonly bodyFigures: readonly Figure[];
  /** Named-entity keys of the headline (see `entityKey`), other than countries and their demonyms. */
  readonly titleEntities: readonly string[];
  /**
   * Entity keys of the countries the story is about: those the headline names as nouns ("Nepal", not "Nepali"), or
   * when it names none, those the lede's first sentence names.
   */
  readonly subjectCountries: readonly string[];
  /** Named-entity keys of headline, dateline and body window. */
  readonly entities: readonly string[];
  /** Bit i set when the text names weekday i (Monday = 0). */
  readonly weekdays: number;
}

/** Distinct content words kept from the start of the body. */
export const LEDE_TOKENS = 48;
/**
 * Characters of body text read. Copies differ most in where they stop, so only the lede is compared; this also
 * bounds the cost per item whatever the article's length.
 */
const BODY_CHARS = 600;

// A time of day, a number with an attached unit or multiplier ("1.2bn", "14th", "0.89pc"), a word, or a sentence end.
const TOKEN = /(\d{1,2}[:.]\d{2}\s?(?:[ap]\.?m\.?|GMT|IST|PKT|NPT))|(\d[\d,]*(?:\.\d+)?)([\p{L}%]*)|([\p{L}\p{M}]+(?:['’][\p{L}\p{M}]+)*)|([.!?:;।۔\n"“”])/gu;
// Scripts written without spaces between words: compared by character pairs instead of words.
const UNSPACED = /[\p{sc=Han}\p{sc=Hiragana}\p{sc=Katakana}\p{sc=Thai}\p{sc=Lao}\p{sc=Khmer}\p{sc=Myanmar}\p{sc=Tibetan}]/u;
const LATIN_WORD = /^[a-z]+$/;
const CYRILLIC = /^[\p{sc=Cyrillic}]+$/u;
const NON_ASCII_DIGIT = /[\u0660-\u0669\u06f0-\u06f9\u0966-\u096f\u09e6-\u09ef\u0a66-\u0a6f\u0ae6-\u0aef\u0b66-\u0b6f\u0be6-\u0bef\u0c66-\u0c6f\u0ce6-\u0cef\u0d66-\u0d6f\u0de6-\u0def\u0e50-\u0e59\u0ed0-\u0ed9\u0f20-\u0f29\u1040-\u1049\u17e0-\u17e9]/gu;

// Demonyms and spellings whose first five letters differ from the place's.
const ENTITY_ALIASES: ReadonlyMap<string, string> = new Map([
  ['chinese', 'china'], ['iranian', 'iran'], ['iraqi', 'iraq'], ['turkish', 'turkey'], ['türkiye', 'turkey'],
  ['turkiye', 'turkey'], ['burmese', 'myanmar'], ['shiite', 'shia'], ['american', 'us'],
  ['british', 'uk'], ['britain', 'uk'], ['emirati', 'uae'], ['filipino', 'philippines'],
  ['swiss', 'switzerland'], ['dutch', 'netherlands'], ['french', 'france'], ['german', 'germany'],
  ['america', 'us'], ['usa', 'us'], ['isis', 'islamic'], ['isil', 'islamic'], ['daesh', 'islamic'],
]);
/** Keys of common words: "Policy" in a headline says little even when "Monetary Policy Committee" is in the text. */
const COMMON_KEYS: ReadonlySet<string> = new Set([...COMMON_NEWS_WORDS, ...STOPWORDS].map((w) => entityKey(w)));
/** Keys of countries and of their demonyms ("afgha" for Afghanistan and Afghan). */
const COUNTRY_KEYS: ReadonlySet<string> = new Set([...COUNTRY_WORDS].map((w) => entityKey(w)));
const ACRONYM_JOINERS = new Set(['of', 'for', 'the', 'on', 'e', 'i', 'ul', 'al', '&']);
// All-caps words that are units, numerals or generic abbreviations, not names.
const NOT_NAMES = new Set(
  `mw kw gw kv km kg mm cm ml fy gdp cpi ceo pm am gmt ist pkt usd pc tv ii iii iv vi vii viii ix xi xii id ok vs
  ltd pvt inc co`.split(/\s+/),
);
const TITLE_CASE_MIN = 0.7;

interface RawToken {
  readonly kind: 'word' | 'figure' | 'time' | 'end';
  readonly text: string;
  readonly lower: string;
  readonly figure?: Figure;
  /** First token of a sentence (capitalised for grammar, not because it is a name). */
  readonly sentenceStart: boolean;
  readonly capitalised: boolean;
}

/** Extracts the features of a title and body (summary, or summary and content). */
export function extractFeatures(title: string, body: string): TextFeatures {
  const cleanedTitle = cleanTitle(title);
  const cleaned = cleanBody(body, BODY_CHARS);
  const bodyText = cleaned.text;

  const titleRaw = scan(cleanedTitle);
  const bodyRaw = scan(bodyText);

  // Names: capitalised words not at a sentence start, all-caps acronyms, acronyms of capitalised runs, the dateline.
  // `names` is looser, for looking a name up: it adds every capitalised word, even at a sentence start.
  const bodyEntities = new Set<string>();
  const names = new Set<string>();
  collectEntities(bodyRaw, bodyEntities, names, undefined, false);
  if (cleaned.place) {
    for (const w of scan(cleaned.place)) if (w.kind === 'word' && w.lower.length > 1) bodyEntities.add(entityKey(w.lower));
  }
  const titleEntities = new Set<string>();
  collectEntities(titleRaw, titleEntities, names, bodyEntities, isTitleCase(titleRaw));
  const entities = new Set([...titleEntities, ...bodyEntities, ...names]);
  const subjectCountries = new Set<string>();
  addCountries(titleRaw, subjectCountries, false);
  if (subjectCountries.size === 0) addCountries(bodyRaw, subjectCountries, true);

  let weekdays = 0;
  const titleTokens: string[] = [];
  const titleFigures: Figure[] = [];
  weekdays |= contentTokens(titleRaw, titleTokens, titleFigures, Infinity);
  const ledeTokens: string[] = [];
  const bodyFigures: Figure[] = [];
  weekdays |= contentTokens(bodyRaw, ledeTokens, bodyFigures, LEDE_TOKENS);

  return {
    titleTokens,
    ledeTokens,
    titleFigures,
    bodyFigures,
    titleEntities: [...titleEntities].filter((e) => !COUNTRY_KEYS.has(e) && !COMMON_KEYS.has(e)),
    subjectCountries: [...subjectCountries],
    entities: [...entities],
    weekdays,
  };
}

/** Splits text into words, figures (with their multiplier word joined: "1.2 billion") and sentence ends. */
function scan(text: string): RawToken[] {
  if (NON_ASCII_DIGIT.test(text)) {
    NON_ASCII_DIGIT.lastIndex = 0;
    text = text.replace(NON_ASCII_DIGIT, (d) => String(digitValue(d.codePointAt(0) as number)));
  }
  NON_ASCII_DIGIT.lastIndex = 0;
  const out: RawToken[] = [];
  let sentenceStart = true;
  TOKEN.lastIndex = 0;
  for (let m = TOKEN.exec(text); m !== null; m = TOKEN.exec(text)) {
    if (m[1] !== undefined) {
      out.push({ kind: 'time', text: m[1], lower: m[1].replace(/\D/g, ''), sentenceStart, capitalised: false });
      sentenceStart = false;
    } else if (m[2] !== undefined) {
      const suffix = (m[3] as string).toLowerCase();
      let scale = multiplierOf(suffix) ?? 0;
      if (scale === 0 && suffix === '') {
        // "1.2 billion": the multiplier is the next word.
        const next = /^\s+([\p{L}]+)/u.exec(text.slice(TOKEN.lastIndex, TOKEN.lastIndex + 16));
        const word = next?.[1]?.toLowerCase();
        const nextScale = word !== undefined && word.length > 1 ? multiplierOf(word) : undefined;
        if (nextScale !== undefined) {
          scale = nextScale;
          TOKEN.lastIndex += (next as RegExpExecArray)[0].length;
        }
      }
      let figure = parseFigure(m[2], scale);
      // "November 18", "18 Nov": a day of a month.
      if (figure && scale === 0 && m[2].length <= 2 && isDayOfMonth(m[2]) && (precededByMonth(out) || followedByMonth(text, TOKEN.lastIndex))) {
        figure = asCalendar(figure);
      }
      if (figure) out.push({ kind: 'figure', text: m[0], lower: m[0], figure, sentenceStart, capitalised: false });
      sentenceStart = false;
    } else if (m[4] !== undefined) {
      const word = m[4];
      const lower = word.toLowerCase();
      const spelled = numberWordValue(lower);
      const capitalised = word !== lower;
      if (spelled !== undefined) {
        out.push({ kind: 'figure', text: word, lower, figure: figureOf(spelled), sentenceStart, capitalised: false });
      } else {
        out.push({ kind: 'word', text: word, lower, sentenceStart, capitalised });
      }
      sentenceStart = false;
    } else {
      const mark = m[5] as string;
      // Quotes do not end a sentence, but the word after an opening quote is capitalised for grammar.
      if (mark === '"' || mark === '“' || mark === '”') sentenceStart = true;
      else {
        out.push({ kind: 'end', text: mark, lower: mark, sentenceStart, capitalised: false });
        sentenceStart = true;
      }
    }
  }
  return out;
}

function isDayOfMonth(raw: string): boolean {
  return /^\d{1,2}$/.test(raw) && Number(raw) >= 1 && Number(raw) <= 31;
}

function precededByMonth(tokens: readonly RawToken[]): boolean {
  let prev = tokens[tokens.length - 1];
  if (prev?.text === '.') prev = tokens[tokens.length - 2]; // "Nov. 18"
  return prev !== undefined && prev.kind === 'word' && MONTHS.has(prev.lower);
}

function followedByMonth(text: string, at: number): boolean {
  const next = /^[\s,]+([\p{L}]+)/u.exec(text.slice(at, at + 14));
  return next !== null && MONTHS.has((next[1] as string).toLowerCase());
}

const DIGIT_ZEROS = [0x660, 0x6f0, 0x966, 0x9e6, 0xa66, 0xae6, 0xb66, 0xbe6, 0xc66, 0xce6, 0xd66, 0xde6, 0xe50, 0xed0, 0xf20, 0x1040, 0x17e0];
function digitValue(cp: number): number {
  for (const zero of DIGIT_ZEROS) if (cp >= zero && cp <= zero + 9) return cp - zero;
  return 0;
}

/** Headline-style capitalisation ("Blast At Kabul Mosque Kills Five"): capitals say nothing about names. */
function isTitleCase(tokens: readonly RawToken[]): boolean {
  let words = 0;
  let capitalised = 0;
  for (const t of tokens) {
    if (t.kind !== 'word' || t.text.length < 4) continue;
    words++;
    if (t.capitalised) capitalised++;
  }
  return words >= 3 && capitalised / words >= TITLE_CASE_MIN;
}

/**
 * Adds entity keys of `tokens` to `into`: acronyms, capitalised words not at a sentence start, and a sentence's first
 * word when `confirmedBy` (the body's names) has it. In a title-case headline ("Blast At Kabul Mosque Kills Five")
 * capitals say nothing, so only acronyms and words the body names count. Every capitalised word, and the acronym
 * of each run of them ("International Monetary Fund" → "imf"), goes to `names`.
 */
function collectEntities(
  tokens: readonly RawToken[],
  into: Set<string>,
  names: Set<string>,
  confirmedBy: ReadonlySet<string> | undefined,
  onlyConfirmed: boolean,
): void {
  const midSentence = new Set<string>();
  for (const t of tokens) if (t.kind === 'word' && t.capitalised && !t.sentenceStart) midSentence.add(t.lower);
  let run: RawToken[] = [];
  const flushRun = () => {
    const initials = run.filter((t) => !ACRONYM_JOINERS.has(t.lower));
    if (initials.length >= 2 && !initials.some((t) => isAcronym(t.text))) names.add(initials.map((t) => t.lower[0]).join(''));
    run = [];
  };
  for (const t of tokens) {
    if (t.kind !== 'word') {
      flushRun();
      continue;
    }
    if (!t.capitalised) {
      if (run.length > 0 && ACRONYM_JOINERS.has(t.lower)) run.push(t);
      else flushRun();
      continue;
    }
    if (STOPWORDS.has(t.lower) || MONTHS.has(t.lower) || WEEKDAYS.has(t.lower) || NOT_NAMES.has(t.lower) || t.lower.length < 2) {
      flushRun();
      continue;
    }
    const key = entityKey(t.lower);
    names.add(key);
    run.push(t);
    if (isAcronym(t.text) || confirmedBy?.has(key) || (!onlyConfirmed && (!t.sentenceStart || midSentence.has(t.lower)))) {
      into.add(key);
    }
  }
  flushRun();
}

function isAcronym(word: string): boolean {
  return word.length >= 2 && word.length <= 6 && word === word.toUpperCase() && word !== word.toLowerCase();
}

const SENTENCE_ENDS = new Set(['.', '!', '?', '\n', '।', '۔']);

function addCountries(tokens: readonly RawToken[], into: Set<string>, firstSentenceOnly: boolean): void {
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i] as RawToken;
    if (firstSentenceOnly && t.kind === 'end' && SENTENCE_ENDS.has(t.text)) return;
    if (t.kind !== 'word' || !t.capitalised || !COUNTRY_WORDS.has(plainWord(t.lower))) continue;
    // In the body, "India's Adani Group" names a company and "the US dollar" a currency, not what the story is about.
    if (firstSentenceOnly && (/['’]s$/.test(t.lower) || /^dollars?$/.test(tokens[i + 1]?.lower ?? ''))) continue;
    into.add(entityKey(t.lower));
  }
}

function plainWord(lower: string): string {
  if (!lower.includes("'") && !lower.includes('’')) return lower;
  return lower.replace(/['’]s$/, '').replace(/['’]/g, '');
}

/** "Afghanistan", "Afghan" → "afgha"; "Pakistani" → "pakis"; Cyrillic case endings fall off the same way. */
export function entityKey(lower: string): string {
  const plain = plainWord(lower);
  const alias = ENTITY_ALIASES.get(plain);
  const base = alias ?? plain;
  return base.length > 5 ? base.slice(0, 5) : base;
}

/**
 * Appends content tokens (up to `max` distinct) and figures; returns the weekday bits found. Figures become tokens
 * too (`#12e2`), so that "1.2bn" and "1.2 billion" are one token.
 */
function contentTokens(tokens: readonly RawToken[], out: string[], figures: Figure[], max: number): number {
  const seen = new Set<string>();
  const seenFigures = new Set<string>();
  let weekdays = 0;
  const push = (token: string) => {
    if (out.length < max && !seen.has(token)) {
      seen.add(token);
      out.push(token);
    }
  };
  for (const t of tokens) {
    if (t.kind === 'figure') {
      const f = t.figure as Figure;
      const key = `#${f.digits}e${f.exp}`;
      if (!seenFigures.has(key)) {
        seenFigures.add(key);
        figures.push(f);
      }
      push(key);
    } else if (t.kind === 'word') {
      const day = WEEKDAYS.get(t.lower);
      if (day !== undefined) {
        weekdays |= 1 << day;
        continue;
      }
      // Past the window only figures and weekdays are read.
      if (out.length >= max || STOPWORDS.has(t.lower) || MONTHS.has(t.lower)) continue;
      if (t.lower.charCodeAt(0) >= 0xe00 && UNSPACED.test(t.lower)) {
        const s = t.lower;
        if (s.length === 1) push(s);
        for (let i = 0; i + 1 < s.length; i++) push(s.slice(i, i + 2));
        continue;
      }
      if (t.lower.length < 2) continue;
      push(normalizeWord(t.lower));
    } else if (t.kind === 'time') {
      push(`@${t.lower}`);
    }
  }
  return weekdays;
}

/** Light stemming, so that copies saying "kills", "killed" and "killing" share the word. */
export function normalizeWord(lower: string): string {
  let w = lower.includes("'") || lower.includes('’') ? plainWord(lower) : lower;
  if (LATIN_WORD.test(w)) {
    if (w.length > 4 && w.endsWith('ies')) w = w.slice(0, -3) + 'i';
    else if (w.length > 5 && w.endsWith('ing')) w = w.slice(0, -3);
    else if (w.length > 4 && w.endsWith('ed')) w = w.slice(0, -2);
    else if (w.length > 4 && w.endsWith('es')) w = w.slice(0, -2);
    else if (w.length > 3 && w.endsWith('s') && !/(ss|us|is)$/.test(w)) w = w.slice(0, -1);
    if (w.length > 3 && (w.endsWith('e') || w.endsWith('y'))) w = w.slice(0, -1);
    return w;
  }
  // Case endings of Cyrillic words: keep the stem's first five letters.
  if (w.length > 5 && CYRILLIC.test(w)) return w.slice(0, 5);
  return w;
}
