import type { Item, ItemSketch } from '../core/index.js';
import { encodeFingerprint, fingerprintOf } from './fingerprint.js';
import { fmix32, hash64 } from './hash64.js';
import { COMMON_NEWS_WORDS } from './stopwords.js';
import { extractFeatures, normalizeWord } from './text-features.js';

/**
 * MinHash with LSH banding over the words of the title and the first `BAND_LEDE` words of the lede, less words
 * common to all news (`COMMON_NEWS_WORDS`), which only add unrelated candidates. Two copies
 * become candidates when all `ROWS` values of one of `BANDS` bands agree: probability 1 − (1 − J^ROWS)^BANDS for
 * word-set Jaccard similarity J: J = 0.2 → 0.62, 0.3 → 0.90, 0.4 → 0.985; J = 0.02 → 0.01 for items that share a
 * word or two. Copies that miss each other usually meet through a third copy. On the labeled set: 2.0 candidates
 * per item, most of them copies; 24 band rows per stored item.
 */
export const BANDS = 24;
export const ROWS = 2;
/** Lede words in the MinHash set: about a wire lede's first paragraph, the part every copy keeps. */
export const BAND_LEDE = 32;
/** Fewer content words than this gives no sketch: there is too little text to tell stories apart. */
const MIN_TOKENS = 6;

/** Below this many uncommon words, the band keys use all the words. */
const MIN_BAND_WORDS = 5;
const COMMON = new Set([...COMMON_NEWS_WORDS].map(normalizeWord));

const PERMUTATIONS = BANDS * ROWS;
const MUL_LO = makeSeeds(PERMUTATIONS, 0x2545f491);
const MUL_HI = makeSeeds(PERMUTATIONS, 0x68e31da4);
const scratch = new Uint32Array(2);
const mins = new Uint32Array(PERMUTATIONS);

function makeSeeds(n: number, seed: number): Uint32Array {
  // Fixed odd multipliers, so that sketches made by any process agree.
  const out = new Uint32Array(n);
  let state = seed;
  for (let i = 0; i < n; i++) {
    state = (state + 0x9e3779b9) | 0;
    out[i] = fmix32(state) | 1;
  }
  return out;
}

/** The text an item is compared by: the summary, and the content unless it merely repeats the summary. */
export function itemBody(item: Pick<Item, 'summaryText' | 'contentText'>): string {
  const summary = item.summaryText?.trim() ?? '';
  const content = item.contentText?.trim() ?? '';
  if (!content) return summary;
  if (!summary) return content;
  const probe = summary.slice(0, 60);
  return content.slice(0, 400).includes(probe) ? content : `${summary}\n${content}`;
}

/** Near-duplicate sketch of a normalized item; undefined when it has too little text to compare. */
export function sketchItem(item: Pick<Item, 'title' | 'summaryText' | 'contentText' | 'url' | 'language'>): ItemSketch | undefined {
  const features = extractFeatures(item.title, itemBody(item));
  const words = new Set(features.titleTokens);
  for (let i = 0; i < features.ledeTokens.length && i < BAND_LEDE; i++) words.add(features.ledeTokens[i] as string);
  if (words.size < MIN_TOKENS) return undefined;
  const uncommon = [...words].filter((w) => !COMMON.has(w));
  return {
    signature: encodeFingerprint(fingerprintOf(features)),
    bandKeys: bandKeys(uncommon.length >= MIN_BAND_WORDS ? uncommon : words),
  };
}

/** LSH band keys of a word set: "m<band>.<32-bit hash of the band's MinHash values>" in base 36. */
export function bandKeys(words: Iterable<string>): string[] {
  mins.fill(0xffffffff);
  for (const word of words) {
    hash64(word, scratch);
    const lo = scratch[0] as number;
    const hi = scratch[1] as number;
    // One hash per word, PERMUTATIONS universal-hash images of it: a·lo + b·hi mod 2^32, a and b odd.
    for (let i = 0; i < PERMUTATIONS; i++) {
      const v = (Math.imul(lo, MUL_LO[i] as number) + Math.imul(hi, MUL_HI[i] as number)) >>> 0;
      if (v < (mins[i] as number)) mins[i] = v;
    }
  }
  const keys: string[] = [];
  for (let b = 0; b < BANDS; b++) {
    let h = Math.imul(b + 1, 0x9e3779b9);
    for (let r = 0; r < ROWS; r++) h = fmix32(h ^ (mins[b * ROWS + r] as number));
    keys.push(`m${b.toString(36)}.${h.toString(36)}`);
  }
  return keys;
}

/** MinHash values of a word set (for tests of the estimator). */
export function minHashes(words: Iterable<string>): Uint32Array {
  bandKeys(words);
  return mins.slice();
}
