import { type Figure, decodeFigure, encodeFigure } from './numbers.js';
import { hash64 } from './hash64.js';
import type { TextFeatures } from './text-features.js';

/**
 * What the store keeps of an item for verifying a candidate (`ItemSketch.signature`): 16-bit hashes of the title's
 * and the lede's content words and of the named entities, the figures as written, and the weekdays named. About
 * 200 bytes; a 16-bit word hash collides with one of another item's ~60 words with probability ~0.1%, which moves
 * a similarity by less than one word.
 */
export interface Fingerprint {
  /** Sorted, distinct. */
  readonly title: Uint16Array;
  /** In order of first appearance in the lede. */
  readonly lede: Uint16Array;
  /** `lede`, sorted and distinct: not stored, derived when made or decoded, for fast intersections. */
  readonly ledeSorted: Uint16Array;
  /** Sorted, distinct; countries apart. */
  readonly titleEntities: Uint16Array;
  /** Sorted, distinct: countries the headline names. */
  readonly subjectCountries: Uint16Array;
  /** Sorted, distinct; includes the title's. */
  readonly entities: Uint16Array;
  readonly titleFigures: readonly Figure[];
  readonly bodyFigures: readonly Figure[];
  readonly weekdays: number;
}

/** Bumped when the meaning of the signature changes; signatures of another version never match. */
const VERSION = 'd1';
const scratch = new Uint32Array(2);

/** 16-bit hash of a word or entity key. */
export function hash16(text: string): number {
  hash64(text, scratch, 0x5eed);
  return (scratch[1] as number) >>> 16;
}

function hashAll(words: readonly string[]): number[] {
  const out = new Array<number>(words.length);
  for (let i = 0; i < words.length; i++) out[i] = hash16(words[i] as string);
  return out;
}

export function fingerprintOf(f: TextFeatures): Fingerprint {
  const lede = Uint16Array.from(hashAll(f.ledeTokens));
  return {
    title: sortedSet(hashAll(f.titleTokens)),
    lede,
    ledeSorted: sortedSet(lede),
    titleEntities: sortedSet(hashAll(f.titleEntities)),
    subjectCountries: sortedSet(hashAll(f.subjectCountries)),
    entities: sortedSet(hashAll(f.entities)),
    titleFigures: f.titleFigures,
    bodyFigures: f.bodyFigures,
    weekdays: f.weekdays,
  };
}

function sortedSet(values: ArrayLike<number>): Uint16Array {
  return distinctSorted(Uint16Array.from(values).sort());
}

export function encodeFingerprint(fp: Fingerprint): string {
  return [
    VERSION,
    encode16(fp.title),
    encode16(fp.lede),
    encode16(fp.titleEntities),
    encode16(fp.subjectCountries),
    encode16(fp.entities),
    fp.titleFigures.map(encodeFigure).join(','),
    fp.bodyFigures.map(encodeFigure).join(','),
    fp.weekdays.toString(36),
  ].join('|');
}

/** Undefined for a signature this version does not understand (written by another version, or damaged). */
export function decodeFingerprint(signature: string): Fingerprint | undefined {
  const parts = signature.split('|');
  if (parts.length !== 9 || parts[0] !== VERSION) return undefined;
  const [, title, lede, titleEntities, subjectCountries, entities, titleFigures, bodyFigures, weekdays] = parts as [
    string, string, string, string, string, string, string, string, string,
  ];
  // One buffer for the six hash lists: a stored item's fingerprint stays decoded while its sketch is indexed.
  const texts = [title, lede, titleEntities, subjectCountries, entities];
  const lengths = texts.map((t) => Math.floor((t.length * 6) / 16));
  const packed = new Uint16Array(lengths.reduce((sum, n) => sum + n, 0) + (lengths[1] as number));
  let offset = 0;
  const [titleHashes, ledeHashes, titleEntityHashes, countryHashes, entityHashes] = texts.map((t, i) => {
    const view = packed.subarray(offset, offset + (lengths[i] as number));
    decode16(t, view);
    offset += view.length;
    return view;
  }) as [Uint16Array, Uint16Array, Uint16Array, Uint16Array, Uint16Array];
  const ledeSorted = packed.subarray(offset);
  ledeSorted.set(ledeHashes);
  ledeSorted.sort();
  return {
    title: titleHashes,
    lede: ledeHashes,
    ledeSorted: distinctSorted(ledeSorted),
    titleEntities: titleEntityHashes,
    subjectCountries: countryHashes,
    entities: entityHashes,
    titleFigures: decodeFigures(titleFigures),
    bodyFigures: decodeFigures(bodyFigures),
    weekdays: parseInt(weekdays, 36) || 0,
  };
}

/** The distinct prefix of a sorted array, compacted in place. */
function distinctSorted(sorted: Uint16Array): Uint16Array {
  let n = 0;
  for (let i = 0; i < sorted.length; i++) if (i === 0 || sorted[i] !== sorted[n - 1]) sorted[n++] = sorted[i] as number;
  return sorted.subarray(0, n);
}

function encode16(values: Uint16Array): string {
  const bytes = new Uint8Array(values.length * 2);
  for (let i = 0; i < values.length; i++) {
    const v = values[i] as number;
    bytes[2 * i] = v >>> 8;
    bytes[2 * i + 1] = v & 0xff;
  }
  return Buffer.from(bytes.buffer, 0, bytes.length).toString('base64url');
}

/** Decodes base64url 16-bit values into `out` (sized by the caller: 6 bits a character, 16 a value). */
function decode16(text: string, out: Uint16Array): void {
  const bytes = Buffer.from(text, 'base64url');
  for (let i = 0; i < out.length; i++) out[i] = ((bytes[2 * i] as number) << 8) | (bytes[2 * i + 1] as number);
}

function decodeFigures(text: string): Figure[] {
  if (text === '') return [];
  const out: Figure[] = [];
  for (const part of text.split(',')) {
    const f = decodeFigure(part);
    if (f) out.push(f);
  }
  return out;
}
