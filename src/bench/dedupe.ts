import { fileURLToPath } from 'node:url';
import type { NearDuplicateCandidate, TaggedItem } from '../core/index.js';
import { createNearDuplicateMatcher, MemoryBandIndex, sketchItem } from '../dedupe/index.js';
import { evaluateLabeledSet, readLabeledSet, type LabeledItem } from '../dedupe/evaluate.js';
import { seededRandom } from './farm.js';

const HOUR = 3600_000;

/**
 * Near-duplicate costs: sketching an item of 120–400 words (the CPU a cold pass spends per item), judging
 * candidates, and a lookup + verdict against an in-memory band index of 10k vs 100k stored items. Texts are made
 * from the labeled set (tests/fixtures/dedupe), so that word statistics are those of regional news.
 */
export async function benchDedupe(): Promise<{ name: string; rows: { metric: string; value: number; unit: string; target?: string; ok?: boolean }[] }> {
  const labeled = readLabeledSet(fileURLToPath(new URL('../../tests/fixtures/dedupe/labeled.jsonl', import.meta.url)));
  const random = seededRandom(7);
  const items = Array.from({ length: 4000 }, (_, i) => syntheticItem(labeled, random, i, 120 + Math.floor(random() * 280)));

  for (const item of items.slice(0, 500)) sketchItem(item);
  let start = process.hrtime.bigint();
  const sketches = items.map((item) => sketchItem(item));
  const sketchUs = Number(process.hrtime.bigint() - start) / 1000 / items.length;

  const matcher = createNearDuplicateMatcher({ windowMs: 72 * HOUR });
  const tagged: TaggedItem[] = items.map((item, i) => ({ ...item, sketch: sketches[i] }));
  const candidates: NearDuplicateCandidate[] = tagged.slice(0, 50).map((t) => ({
    itemId: t.id,
    clusterId: t.id,
    sourceId: t.sourceId,
    publishedAt: t.publishedAt,
    signature: t.sketch?.signature ?? '',
  }));
  const probes = tagged.slice(1000, 1400);
  for (const p of probes.slice(0, 50)) matcher.match(p, candidates);
  start = process.hrtime.bigint();
  for (const p of probes) matcher.match(p, candidates);
  const perCandidateUs = Number(process.hrtime.bigint() - start) / 1000 / (probes.length * candidates.length);

  const lookup10k = lookupCost(labeled, 10_000);
  const lookup100k = lookupCost(labeled, 100_000);
  const evaluation = evaluateLabeledSet(labeled, matcher);

  return {
    name: 'dedupe (near-duplicate sketch and matcher)',
    rows: [
      { metric: 'sketch, 120–400 words', value: sketchUs, unit: 'µs/item', target: '≤ 80', ok: sketchUs <= 80 },
      { metric: 'verdict per candidate', value: perCandidateUs, unit: 'µs' },
      { metric: 'lookup + verdict, 10k stored', value: lookup10k.us, unit: 'µs/item' },
      { metric: 'lookup + verdict, 100k stored', value: lookup100k.us, unit: 'µs/item' },
      { metric: 'ratio 100k / 10k stored', value: lookup100k.us / lookup10k.us, unit: '×', target: '≤ 1.3', ok: lookup100k.us / lookup10k.us <= 1.3 },
      { metric: 'candidates per item, 100k stored', value: lookup100k.candidates, unit: 'items' },
      { metric: 'labeled set precision', value: evaluation.precision, unit: '', target: '≥ 0.98', ok: evaluation.precision >= 0.98 },
      { metric: 'labeled set recall', value: evaluation.recall, unit: '', target: '≥ 0.90', ok: evaluation.recall >= 0.9 },
    ],
  };
}

/**
 * Stores `stored` synthetic items spread over 30 days (about a 72-hour window's worth of them are near each probe,
 * 10% at 10k, as at 100k the window holds 10× more: the cost the index must keep flat is the lookup, not the window),
 * then times band lookup + verdict for 2,000 new items.
 */
function lookupCost(labeled: readonly LabeledItem[], stored: number): { us: number; candidates: number } {
  const random = seededRandom(stored);
  const index = new MemoryBandIndex();
  const span = 30 * 24 * HOUR;
  const base = Date.UTC(2025, 10, 1);
  for (let i = 0; i < stored; i++) {
    const item = syntheticItem(labeled, random, i, 60 + Math.floor(random() * 60), base + Math.floor((span * i) / stored));
    const sketch = sketchItem(item);
    if (sketch) index.add({ itemId: item.id, clusterId: item.id, sourceId: item.sourceId, publishedAt: item.publishedAt, signature: sketch.signature }, sketch.bandKeys);
  }
  const matcher = createNearDuplicateMatcher({ windowMs: 72 * HOUR });
  const probes: TaggedItem[] = [];
  for (let i = 0; i < 2000; i++) {
    const item = syntheticItem(labeled, random, stored + i, 60 + Math.floor(random() * 60), base + span / 2 + i * 1000);
    const sketch = sketchItem(item);
    if (sketch) probes.push({ ...item, sketch });
  }
  let found = 0;
  const start = process.hrtime.bigint();
  for (const p of probes) {
    const candidates = index.candidates(p.id, p.sketch as NonNullable<TaggedItem['sketch']>, p.publishedAt, matcher.windowMs);
    found += candidates.length;
    if (candidates.length > 0) matcher.match(p, candidates);
  }
  return { us: Number(process.hrtime.bigint() - start) / 1000 / probes.length, candidates: found / probes.length };
}

/** An item whose text is sentences drawn from the labeled set's summaries, about `words` long. */
function syntheticItem(labeled: readonly LabeledItem[], random: () => number, n: number, words: number, publishedAt = Date.UTC(2025, 10, 20)): TaggedItem {
  const sentences: string[] = [];
  let count = 0;
  while (count < words) {
    const source = labeled[Math.floor(random() * labeled.length)] as LabeledItem;
    const parts = source.summary.split(/(?<=\.)\s+/);
    const sentence = parts[Math.floor(random() * parts.length)] as string;
    sentences.push(sentence);
    count += sentence.split(/\s+/).length;
  }
  const titleFrom = labeled[Math.floor(random() * labeled.length)] as LabeledItem;
  return {
    id: `bench-${n}`,
    sourceId: `source-${n % 97}`,
    itemKey: `bench-${n}`,
    title: titleFrom.title,
    summaryText: sentences.slice(0, 2).join(' '),
    contentText: sentences.join(' '),
    publishedAt,
    categories: [],
    contentHash: `h${n}`,
    tags: { countries: [], topics: [] },
  };
}
