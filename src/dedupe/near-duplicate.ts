import type { NearDuplicateCandidate, NearDuplicateMatcher, TaggedItem } from '../core/index.js';
import { BandIndex } from './band-index.js';
import { type Fingerprint, decodeFingerprint } from './fingerprint.js';
import { type Figure, figuresAgree } from './numbers.js';

/** What was measured between two items, and the verdict. */
export interface Comparison {
  readonly same: boolean;
  /** Higher is more alike; only meaningful when `same`. */
  readonly score: number;
  /** Why not, when not the same. */
  readonly reason?: string;
  readonly lede: { readonly shared: number; readonly jaccard: number; readonly containment: number; readonly head: number };
  readonly title: { readonly shared: number; readonly jaccard: number; readonly containment: number };
  readonly figures: {
    /** Headline figures of each side that the other side's text does not have. */
    readonly titleUnmatched: readonly [number, number];
    /** Of the side with fewer body figures: how many the other has, and how many it lacks. */
    readonly shared: number;
    readonly unmatched: number;
    /** Shared figures precise enough to be a fact of this story (see `isPrecise`). */
    readonly specific: number;
    /** Figures of the other side (calendar figures apart). */
    readonly otherSide: number;
  };
  readonly entities: {
    readonly shared: number;
    /** Headline names (other than countries) of each side that the other side's text does not have. */
    readonly titleUnmatched: readonly [number, number];
    /** Both headlines name countries, and none in common. */
    readonly countriesDiffer: boolean;
  };
  readonly weekdaysDisjoint: boolean;
}

type Measured = Omit<Comparison, 'same' | 'score' | 'reason'>;

const HEAD = 12;

export function compareFingerprints(a: Fingerprint, b: Fingerprint): Comparison {
  const ledeShared = intersectSorted(a.ledeSorted, b.ledeSorted);
  const ledeMin = Math.min(a.ledeSorted.length, b.ledeSorted.length);
  const ledeUnion = a.ledeSorted.length + b.ledeSorted.length - ledeShared;

  const titleShared = intersectSorted(a.title, b.title);
  const titleMin = Math.min(a.title.length, b.title.length);
  const titleUnion = a.title.length + b.title.length - titleShared;

  const allA = [...a.titleFigures, ...a.bodyFigures];
  const allB = [...b.titleFigures, ...b.bodyFigures];
  const [fewer, more] = a.bodyFigures.length <= b.bodyFigures.length ? [a, b] : [b, a];
  const fewerFigures = fewer.bodyFigures.filter((f) => !f.calendar);
  const moreFigures = [...more.titleFigures, ...more.bodyFigures];
  let figuresShared = 0;
  let specific = 0;
  for (const f of fewerFigures) {
    if (!moreFigures.some((o) => figuresAgree(f, o))) continue;
    figuresShared++;
    if (isPrecise(f)) specific++;
  }

  const measured: Measured = {
    lede: {
      shared: ledeShared,
      jaccard: ledeUnion > 0 ? ledeShared / ledeUnion : 0,
      containment: ledeMin > 0 ? ledeShared / ledeMin : 0,
      head: (headOf(a.lede, b.ledeSorted) + headOf(b.lede, a.ledeSorted)) / 2,
    },
    title: {
      shared: titleShared,
      jaccard: titleUnion > 0 ? titleShared / titleUnion : 0,
      containment: titleMin > 0 ? titleShared / titleMin : 0,
    },
    figures: {
      titleUnmatched: [unmatchedFigures(a.titleFigures, allB), unmatchedFigures(b.titleFigures, allA)],
      shared: figuresShared,
      unmatched: fewerFigures.length - figuresShared,
      specific,
      otherSide: moreFigures.filter((f) => !f.calendar).length,
    },
    entities: {
      shared: intersectSorted(a.entities, b.entities),
      titleUnmatched: [missingSorted(a.titleEntities, b.entities), missingSorted(b.titleEntities, a.entities)],
      countriesDiffer: countriesDiffer(a, b),
    },
    weekdaysDisjoint: a.weekdays !== 0 && b.weekdays !== 0 && (a.weekdays & b.weekdays) === 0,
  };
  return { ...measured, ...decide(measured) };
}

/**
 * Precision first. A shared template ("ADB approves $500m loan to …", "Sensex climbs … points") makes two different
 * stories look alike, so the verdict checks the facts before the wording: headline figures each side lacks, body
 * figures that disagree, different countries, different names in the headlines, different weekdays. Only then does
 * similarity decide: lede words (containment, so a trimmed copy still matches), headline words, the lede's first
 * words, and shared precise figures ("160,211.48", "$1.2bn").
 */
function decide(c: Measured): { same: boolean; score: number; reason?: string } {
  const score = scoreOf(c.lede.containment, c.title.containment, c.lede.head, c.figures.specific, c.entities.shared);
  // Wording this close outweighs a name or a weekday one outlet left out or put otherwise; so do two precise
  // figures in common for a name, but not for a day (a daily report quotes the day before's close).
  const strongWording = c.lede.containment >= STRONG_LEDE && c.lede.head >= STRONG_HEAD && c.title.containment >= STRONG_TITLE;
  const strong = strongWording || c.figures.specific >= 2;
  if (c.figures.titleUnmatched[0] > 0 && c.figures.titleUnmatched[1] > 0) return { same: false, score, reason: 'headline figures differ' };
  if (c.figures.unmatched > 0 && c.figures.shared === 0 && c.figures.otherSide > 0) return { same: false, score, reason: 'figures differ' };
  if (c.figures.unmatched >= 2 && c.figures.unmatched > c.figures.shared) return { same: false, score, reason: 'figures differ' };
  if (c.entities.countriesDiffer) return { same: false, score, reason: 'different countries' };
  if (!strong && c.entities.titleUnmatched[0] > 0 && c.entities.titleUnmatched[1] > 0) return { same: false, score, reason: 'headline names differ' };
  if (!strongWording && c.weekdaysDisjoint) return { same: false, score, reason: 'different days' };
  if (score < THRESHOLD) return { same: false, score, reason: 'not similar enough' };
  return { same: true, score };
}

/** Lede words weigh most; a precise shared figure adds a little, a shared name less. */
function scoreOf(lede: number, title: number, head: number, preciseFigures: number, names: number): number {
  return 0.45 * lede + 0.25 * title + 0.15 * head + 0.05 * Math.min(preciseFigures, 3) + 0.01 * Math.min(names, 5);
}

/** The score two copies reach; below it, items stay apart. */
const THRESHOLD = 0.4;
/** Similarity at which differing weekdays or headline names are put down to the outlets, not the story. */
const STRONG_LEDE = 0.8;
const STRONG_HEAD = 0.85;
const STRONG_TITLE = 0.6;

/**
 * Precise enough that two stories sharing it by chance is unlikely: three significant digits ("160,211", "428"),
 * digits after the decimal point ("5.6", "7.75"), or a number of thousands to two digits ("2,100"); not "12",
 * "$500m" or "$1.2bn", which many stories share.
 */
function isPrecise(f: Figure): boolean {
  return f.digits.length >= 3 || f.exp < f.digits.length || (f.digits.length >= 2 && f.exp >= 4 && f.exp <= 6);
}

/** Share of the lede's first words that the other lede has. */
function headOf(lede: Uint16Array, otherSorted: Uint16Array): number {
  const n = Math.min(HEAD, lede.length);
  if (n === 0) return 0;
  let hit = 0;
  for (let i = 0; i < n; i++) if (hasSorted(otherSorted, lede[i] as number)) hit++;
  return hit / n;
}

function hasSorted(sorted: Uint16Array, value: number): boolean {
  let lo = 0;
  let hi = sorted.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    const v = sorted[mid] as number;
    if (v === value) return true;
    if (v < value) lo = mid + 1;
    else hi = mid - 1;
  }
  return false;
}

/**
 * The stories are about different countries: their subject countries (headline, else first sentence) do not meet,
 * and one side's are not even named by the other ("loan to Nepal" vs "loan to Bangladesh").
 */
function countriesDiffer(a: Fingerprint, b: Fingerprint): boolean {
  if (a.subjectCountries.length === 0 || b.subjectCountries.length === 0) return false;
  if (intersectSorted(a.subjectCountries, b.subjectCountries) > 0) return false;
  return missingSorted(a.subjectCountries, b.entities) === a.subjectCountries.length || missingSorted(b.subjectCountries, a.entities) === b.subjectCountries.length;
}

function intersectSorted(a: Uint16Array, b: Uint16Array): number {
  let i = 0;
  let j = 0;
  let n = 0;
  while (i < a.length && j < b.length) {
    const x = a[i] as number;
    const y = b[j] as number;
    if (x === y) {
      n++;
      i++;
      j++;
    } else if (x < y) i++;
    else j++;
  }
  return n;
}

function missingSorted(a: Uint16Array, b: Uint16Array): number {
  return a.length - intersectSorted(a, b);
}

function unmatchedFigures(figures: readonly Figure[], others: readonly Figure[]): number {
  let n = 0;
  for (const f of figures) {
    if (f.calendar) continue;
    if (!others.some((o) => figuresAgree(f, o))) n++;
  }
  return n;
}

/**
 * Decoded fingerprints kept in each of the cache's two generations (at most 14 MB in all): the candidates worth
 * decoding are mostly recent items, since copies of a story arrive close together. Keeping every indexed item's
 * (50,000 in a cold pass over 1,000 feeds) held 80 MB.
 */
const DECODED_GENERATION = 4_096;

/**
 * Most candidates share a band by chance and little else. The highest score they could reach, with every figure
 * and name in their favour and the lede's first words all shared, is still below the threshold: skip the full check.
 */
function cannotReachThreshold(a: Fingerprint, b: Fingerprint): boolean {
  const shared = intersectSorted(a.ledeSorted, b.ledeSorted);
  const ledeMin = Math.min(a.ledeSorted.length, b.ledeSorted.length);
  const titleMin = Math.min(a.title.length, b.title.length);
  const lede = ledeMin > 0 ? shared / ledeMin : 0;
  const title = titleMin > 0 ? intersectSorted(a.title, b.title) / titleMin : 0;
  const headBound = Math.min(1, shared / Math.max(1, Math.min(HEAD, a.lede.length, b.lede.length)));
  return scoreOf(lede, title, headBound, Infinity, Infinity) < THRESHOLD;
}

/** Candidates are judged by `compareFingerprints`; the most similar story that passes wins. */
export function createNearDuplicateMatcher(options: { windowMs: number }): NearDuplicateMatcher {
  const { windowMs } = options;
  // A stored item is a candidate for many later items: decode its signature once while it is in use. Two
  // generations: what the older one still serves moves to the newer, which replaces it when full. The cache also
  // serves indexes made afresh per batch (PostgreSQL).
  let recent = new Map<string, Fingerprint | null>();
  let older = new Map<string, Fingerprint | null>();
  const decode = (signature: string): Fingerprint | null => {
    let fp = recent.get(signature);
    if (fp !== undefined) return fp;
    fp = older.get(signature);
    if (fp === undefined) fp = decodeFingerprint(signature) ?? null;
    if (recent.size >= DECODED_GENERATION) {
      older = recent;
      recent = new Map();
    }
    recent.set(signature, fp);
    return fp;
  };
  return {
    windowMs,
    createIndex: () => new BandIndex(windowMs),
    match(item: TaggedItem, candidates: readonly NearDuplicateCandidate[]): string | undefined {
      const own = item.sketch ? decode(item.sketch.signature) : null;
      if (!own) return undefined;
      let best: string | undefined;
      let bestScore = -Infinity;
      for (const candidate of candidates) {
        if (Math.abs(candidate.publishedAt - item.publishedAt) > windowMs) continue;
        const other = decode(candidate.signature);
        if (!other || cannotReachThreshold(own, other)) continue;
        const verdict = compareFingerprints(own, other);
        if (verdict.same && verdict.score > bestScore) {
          bestScore = verdict.score;
          best = candidate.clusterId;
        }
      }
      return best;
    },
  };
}
