import { readFileSync } from 'node:fs';
import type { NearDuplicateMatcher, TaggedItem } from '../core/index.js';
import { compareFingerprints, type Comparison } from './near-duplicate.js';
import { decodeFingerprint } from './fingerprint.js';
import { sketchItem } from './sketch.js';

/** One line of `tests/fixtures/dedupe/labeled.jsonl`: `cluster` names the story, written by hand. */
export interface LabeledItem {
  readonly id: string;
  readonly cluster: string;
  readonly sourceId: string;
  readonly title: string;
  readonly summary: string;
  readonly content?: string;
  /** ISO 8601. */
  readonly publishedAt: string;
}

export function readLabeledSet(path: string): LabeledItem[] {
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as LabeledItem);
}

/** A decision worth reading: an item joined a story it is not part of, or two copies stayed apart. */
export interface PairReport {
  readonly a: LabeledItem;
  readonly b: LabeledItem;
  /** Whether the band index offered one to the other. */
  readonly candidate: boolean;
  readonly comparison?: Comparison;
}

export interface Evaluation {
  readonly items: number;
  readonly stories: number;
  readonly precision: number;
  readonly recall: number;
  readonly f1: number;
  readonly truePairs: number;
  readonly predictedPairs: number;
  readonly correctPairs: number;
  /** Mean number of band candidates per item, the work a lookup hands the matcher. */
  readonly candidatesPerItem: number;
  /** Pairs put in one story that the labels keep apart: the pair that was compared when the item joined. */
  readonly falseMerges: readonly PairReport[];
  /** Pairs the labels put together that ended in different stories (one per pair of split pieces). */
  readonly misses: readonly PairReport[];
}

/**
 * Ingests the labeled items in publication order, each through the band index and the matcher as the store does,
 * and scores the stories formed pairwise against the labels.
 */
export function evaluateLabeledSet(labeled: readonly LabeledItem[], matcher: NearDuplicateMatcher): Evaluation {
  const ordered = [...labeled].sort((x, y) => Date.parse(x.publishedAt) - Date.parse(y.publishedAt) || (x.id < y.id ? -1 : 1));
  const index = matcher.createIndex();
  const storyOf = new Map<string, string>();
  const candidatesOf = new Map<string, Set<string>>();
  const joinedVia = new Map<string, string>();
  const byId = new Map(ordered.map((l) => [l.id, l]));
  const sketches = new Map<string, string>();
  let candidateTotal = 0;

  for (const l of ordered) {
    const item = toTaggedItem(l);
    let story: string | undefined;
    if (item.sketch) {
      sketches.set(l.id, item.sketch.signature);
      const candidates = index.candidates(item.id, item.sketch.bandKeys, item.publishedAt);
      candidateTotal += candidates.length;
      candidatesOf.set(l.id, new Set(candidates.map((c) => c.itemId)));
      story = candidates.length > 0 ? matcher.match(item, candidates) : undefined;
      if (story !== undefined) {
        const own = decodeFingerprint(item.sketch.signature);
        let best: { id: string; score: number } | undefined;
        for (const c of candidates) {
          if (c.clusterId !== story || !own) continue;
          const other = decodeFingerprint(c.signature);
          const v = other ? compareFingerprints(own, other) : undefined;
          if (v?.same && (!best || v.score > best.score)) best = { id: c.itemId, score: v.score };
        }
        if (best) joinedVia.set(l.id, best.id);
      }
      index.add(
        { itemId: item.id, clusterId: story ?? item.id, sourceId: item.sourceId, publishedAt: item.publishedAt, signature: item.sketch.signature },
        item.sketch.bandKeys,
      );
    }
    storyOf.set(l.id, story ?? l.id);
  }

  const compare = (a: LabeledItem, b: LabeledItem): PairReport => {
    const sa = sketches.get(a.id);
    const sb = sketches.get(b.id);
    const fa = sa ? decodeFingerprint(sa) : undefined;
    const fb = sb ? decodeFingerprint(sb) : undefined;
    const candidate = (candidatesOf.get(b.id)?.has(a.id) ?? false) || (candidatesOf.get(a.id)?.has(b.id) ?? false);
    return fa && fb ? { a, b, candidate, comparison: compareFingerprints(fb, fa) } : { a, b, candidate };
  };

  let truePairs = 0;
  let predictedPairs = 0;
  let correctPairs = 0;
  const splitPieces = new Map<string, [LabeledItem, LabeledItem]>();
  for (let i = 0; i < ordered.length; i++) {
    for (let j = i + 1; j < ordered.length; j++) {
      const a = ordered[i] as LabeledItem;
      const b = ordered[j] as LabeledItem;
      const same = a.cluster === b.cluster;
      const together = storyOf.get(a.id) === storyOf.get(b.id);
      if (same) truePairs++;
      if (together) predictedPairs++;
      if (same && together) correctPairs++;
      if (same && !together) {
        const key = `${storyOf.get(a.id)}|${storyOf.get(b.id)}`;
        if (!splitPieces.has(key)) splitPieces.set(key, [a, b]);
      }
    }
  }
  const falseMerges: PairReport[] = [];
  for (const [id, via] of joinedVia) {
    const a = byId.get(via) as LabeledItem;
    const b = byId.get(id) as LabeledItem;
    if (a.cluster !== b.cluster) falseMerges.push(compare(a, b));
  }
  const misses = [...splitPieces.values()].map(([a, b]) => compare(a, b));
  const precision = predictedPairs === 0 ? 1 : correctPairs / predictedPairs;
  const recall = truePairs === 0 ? 1 : correctPairs / truePairs;
  return {
    items: ordered.length,
    stories: new Set(ordered.map((l) => l.cluster)).size,
    precision,
    recall,
    f1: precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall),
    truePairs,
    predictedPairs,
    correctPairs,
    candidatesPerItem: candidateTotal / ordered.length,
    falseMerges,
    misses,
  };
}

/** A labeled line as the pass would hand it to the store. */
export function toTaggedItem(l: LabeledItem): TaggedItem {
  const base = {
    id: l.id,
    sourceId: l.sourceId,
    itemKey: l.id,
    title: l.title,
    summaryText: l.summary,
    contentText: l.content,
    publishedAt: Date.parse(l.publishedAt),
    categories: [],
    contentHash: l.id,
    tags: { countries: [], topics: [] },
  };
  const sketch = sketchItem(base);
  return sketch ? { ...base, sketch } : base;
}
