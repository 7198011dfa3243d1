import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Logger, NearDuplicateCandidate, NearDuplicateMatcher, Source, SourceStateUpdate, TaggedItem } from '../core/index.js';
import { createNearDuplicateMatcher, sketchItem } from '../dedupe/index.js';
import { evaluateLabeledSet, readLabeledSet, type LabeledItem } from '../dedupe/evaluate.js';
import { decodeFingerprint } from '../dedupe/fingerprint.js';
import { openStore } from '../store/index.js';
import { seededRandom } from './farm.js';

const HOUR = 3600_000;
const WINDOW_MS = 72 * HOUR;

/**
 * Near-duplicate costs: sketching an item of 120–400 words (the CPU a cold pass spends per item), judging a
 * candidate, the labeled set's figures, and ingesting 10k new items into a real SQLite store that already holds 10k
 * vs 1M items (`NEWSMUX_BENCH_DEDUPE_STORED` changes the large one). Texts are drawn from the labeled set
 * (tests/fixtures/dedupe), so that word statistics are those of regional news.
 */
export async function benchDedupe(): Promise<{
  name: string;
  rows: { metric: string; value: number; unit: string; target?: string; ok?: boolean }[];
}> {
  const labeled = readLabeledSet(fileURLToPath(new URL('../../tests/fixtures/dedupe/labeled.jsonl', import.meta.url)));
  const random = seededRandom(7);
  const items = Array.from({ length: 4000 }, (_, i) => syntheticItem(labeled, random, i, 120 + Math.floor(random() * 280)));

  // CPU time, best of five rounds: the figure is the sketch's own cost, whatever else the machine runs.
  for (const item of items.slice(0, 500)) sketchItem(item);
  let sketchUs = Infinity;
  for (let round = 0; round < 5; round++) {
    const cpu = process.cpuUsage();
    for (const item of items) sketchItem(item);
    sketchUs = Math.min(sketchUs, cpuMicros(cpu) / items.length);
  }
  const sketches = items.map((item) => sketchItem(item));

  const matcher = createNearDuplicateMatcher({ windowMs: WINDOW_MS });
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
  let perCandidateUs = Infinity;
  for (let round = 0; round < 5; round++) {
    const cpu = process.cpuUsage();
    for (const p of probes) matcher.match(p, candidates);
    perCandidateUs = Math.min(perCandidateUs, cpuMicros(cpu) / (probes.length * candidates.length));
  }

  const signatures = candidates.map((c) => c.signature);
  let decodeUs = Infinity;
  for (let round = 0; round < 5; round++) {
    const cpu = process.cpuUsage();
    for (let k = 0; k < 40; k++) for (const sig of signatures) decodeFingerprint(sig);
    decodeUs = Math.min(decodeUs, cpuMicros(cpu) / (40 * signatures.length));
  }

  const evaluation = evaluateLabeledSet(labeled, matcher);
  const windowIndex = matcher.createIndex();
  for (const t of tagged.slice(0, 3000)) {
    if (t.sketch) windowIndex.add({ itemId: t.id, clusterId: t.id, sourceId: t.sourceId, publishedAt: t.publishedAt, signature: t.sketch.signature }, t.sketch.bandKeys);
  }
  let windowCandidates = 0;
  for (const t of tagged.slice(3000)) if (t.sketch) windowCandidates += windowIndex.candidates(t.id, t.sketch.bandKeys, t.publishedAt).length;
  const syntheticCandidates = windowCandidates / (tagged.length - 3000);
  const stored = Number(process.env.NEWSMUX_BENCH_DEDUPE_STORED ?? 1_000_000);
  const small = await storeIngestCost(labeled, 10_000);
  const large = await storeIngestCost(labeled, stored);
  const ratio = large.msPer1k / small.msPer1k;
  const storedLabel = stored >= 1e6 ? `${stored / 1e6}M` : `${stored / 1e3}k`;

  return {
    name: 'dedupe (near-duplicate sketch, matcher, store lookup)',
    rows: [
      { metric: 'sketch, 120–400 words (CPU, best of 5)', value: sketchUs, unit: 'µs/item', target: '≤ 80', ok: sketchUs <= 80 },
      { metric: 'verdict per candidate (CPU, best of 5)', value: perCandidateUs, unit: 'µs' },
      { metric: 'decoding a signature (CPU, once per candidate)', value: decodeUs, unit: 'µs' },
      { metric: 'labeled set precision', value: evaluation.precision, unit: '', target: '≥ 0.98', ok: evaluation.precision >= 0.98 },
      { metric: 'labeled set recall', value: evaluation.recall, unit: '', target: '≥ 0.90', ok: evaluation.recall >= 0.9 },
      { metric: 'band candidates per item, labeled set', value: evaluation.candidatesPerItem, unit: 'items' },
      { metric: 'band candidates per item, 3k unrelated in window', value: syntheticCandidates, unit: 'items' },
      { metric: 'ingest 10k new, 10k stored (SQLite, CPU)', value: small.msPer1k, unit: 'ms/1k items' },
      { metric: `ingest 10k new, ${storedLabel} stored (SQLite, CPU)`, value: large.msPer1k, unit: 'ms/1k items' },
      { metric: `ratio ${storedLabel} / 10k stored`, value: ratio, unit: '×', target: '≤ 1.3', ok: ratio <= 1.3 },
      { metric: `copies merged of 3,334 sent, ${storedLabel} stored`, value: large.merged, unit: 'items' },
      { metric: `band candidates per new item, ${storedLabel} stored`, value: large.candidates, unit: 'items' },
      { metric: `building the ${storedLabel} store`, value: large.buildSeconds, unit: 's' },
      { metric: 'peak RSS', value: process.resourceUsage().maxRSS / 1024, unit: 'MB' },
    ],
  };
}

function cpuMicros(since: NodeJS.CpuUsage): number {
  const used = process.cpuUsage(since);
  return used.user + used.system;
}

const SILENT: Logger = {
  trace: () => {},
  debug: () => {},
  info: () => {},
  warn: () => {},
  error: () => {},
  fatal: () => {},
  child: () => SILENT,
};

/**
 * A real SQLite store in a temp dir holding `stored` items, all but the last 10k published well before the new
 * items' window (only the index grows with the store, not the window), then 10k new items ingested in batches of
 * 500 as a pass does, every third a copy of a recent stored story under another headline. Stored items reuse a pool
 * of 20k sketched texts, so that building a million rows takes minutes.
 */
async function storeIngestCost(
  labeled: readonly LabeledItem[],
  stored: number,
): Promise<{ msPer1k: number; merged: number; buildSeconds: number; candidates: number }> {
  const dir = mkdtempSync(join(tmpdir(), 'newsmux-bench-dedupe-'));
  const store = await openStore(join(dir, 'store.db'), { log: SILENT });
  try {
    const sources: Source[] = Array.from({ length: 100 }, (_, i) => ({
      id: `bench-${i}`,
      url: `https://outlet${i}.example/feed`,
      name: `Outlet ${i}`,
      priority: 0,
    }));
    const now = Date.UTC(2025, 10, 30);
    await store.syncSources(sources, now);
    const random = seededRandom(11);
    const pool = Array.from({ length: Math.min(20_000, stored) }, (_, i) => syntheticItem(labeled, random, i, 60 + Math.floor(random() * 60)));
    const poolSketches = pool.map((p) => sketchItem(p));
    const inner = createNearDuplicateMatcher({ windowMs: WINDOW_MS });
    let offered = 0;
    let asked = 0;
    const matcher: NearDuplicateMatcher = {
      ...inner,
      match: (item, candidates) => {
        asked++;
        offered += candidates.length;
        return inner.match(item, candidates);
      },
    };
    const state = (at: number): SourceStateUpdate => ({ lastOutcome: 'ok', lastAttemptAt: at, consecutiveFailures: 0, nextDueAt: at + HOUR });
    const ingest = (sourceId: string, items: TaggedItem[], at: number, match = true) =>
      store.ingest({ sourceId, items, state: state(at), now: at, titleWindowMs: 48 * HOUR, nearDuplicates: match ? matcher : undefined });

    const recentCount = Math.min(10_000, stored);
    const recentStart = now - 24 * HOUR;
    const oldSpan = 60 * 24 * HOUR;
    const oldEnd = recentStart - 2 * WINDOW_MS;
    const buildStart = process.hrtime.bigint();
    const batch = 10_000;
    for (let first = 0; first < stored; first += batch) {
      const sourceId = `bench-${(first / batch) % 100}`;
      const items: TaggedItem[] = [];
      for (let i = first; i < Math.min(stored, first + batch); i++) {
        const recent = i >= stored - recentCount;
        const publishedAt = recent
          ? recentStart + Math.floor(((i - (stored - recentCount)) * 20 * HOUR) / recentCount)
          : oldEnd - oldSpan + Math.floor((i * oldSpan) / stored);
        const base = pool[i % pool.length] as TaggedItem;
        items.push({ ...base, id: `old-${i}`, sourceId, itemKey: `old-${i}`, title: `${base.title} (${i})`, url: `https://x.example/${i}`, publishedAt, sketch: poolSketches[i % pool.length] });
      }
      // Stored rows only: matching them against each other is not what is measured.
      await ingest(sourceId, items, now - 21 * HOUR, false);
    }
    const buildSeconds = Number(process.hrtime.bigint() - buildStart) / 1e9;

    const fresh: TaggedItem[] = [];
    for (let i = 0; i < 10_000; i++) {
      const copyOf = i % 3 === 0 ? (pool[(stored - 1 - i) % pool.length] as TaggedItem) : undefined;
      const item = copyOf
        ? { ...copyOf, title: `Officials say ${copyOf.title}` }
        : syntheticItem(labeled, random, stored + i, 60 + Math.floor(random() * 60));
      fresh.push({ ...item, id: `new-${i}`, itemKey: `new-${i}`, url: `https://y.example/${i}`, publishedAt: now - 2 * HOUR + i * 100, sketch: sketchItem(item) });
    }
    let merged = 0;
    offered = 0;
    asked = 0;
    // CPU time of this process (better-sqlite3 works in it, synchronously): steadier than wall time on a shared machine.
    const cpu = process.cpuUsage();
    for (let i = 0; i < fresh.length; i += 500) {
      const sourceId = `bench-${(i / 500) % 100}`;
      const result = await ingest(sourceId, fresh.slice(i, i + 500).map((it) => ({ ...it, sourceId })), now);
      merged += result.merged;
    }
    // SQLite commits its open group of writes before any read: the last commit is part of the cost.
    await store.sourceStates();
    return { msPer1k: cpuMicros(cpu) / 1000 / 10, merged, buildSeconds, candidates: offered / Math.max(1, asked) };
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * An item of about `words` words of synthetic news: words drawn from a 30k-word vocabulary with Zipf frequencies
 * (so that unrelated items share words, as real ones do), some capitalised names and figures, and past the lede now
 * and then a real sentence from the labeled set (real punctuation, datelines, scripts). Two such items are
 * unrelated; only the bench's explicit copies are near-duplicates.
 */
function syntheticItem(labeled: readonly LabeledItem[], random: () => number, n: number, words: number): TaggedItem {
  const sentences: string[] = [];
  let count = 0;
  while (count < words) {
    if (sentences.length >= 2 && random() < 0.1) {
      const source = labeled[Math.floor(random() * labeled.length)] as LabeledItem;
      const parts = source.summary.split(/(?<=\.)\s+/);
      const sentence = parts[Math.floor(random() * parts.length)] as string;
      sentences.push(sentence);
      count += sentence.split(/\s+/).length;
      continue;
    }
    const length = 10 + Math.floor(random() * 14);
    const out: string[] = [];
    for (let w = 0; w < length; w++) {
      const r = random();
      if (r < 0.08) out.push(capitalise(zipfWord(random)));
      else if (r < 0.12) out.push(String(Math.floor(random() * 2000)));
      else out.push(zipfWord(random));
    }
    sentences.push(`${capitalise(out.join(' '))}.`);
    count += length;
  }
  return {
    id: `bench-${n}`,
    sourceId: `source-${n % 97}`,
    itemKey: `bench-${n}`,
    title: capitalise(Array.from({ length: 8 }, () => zipfWord(random)).join(' ')),
    summaryText: sentences.slice(0, 2).join(' '),
    contentText: sentences.join(' '),
    publishedAt: Date.UTC(2025, 10, 20),
    categories: [],
    contentHash: `h${n}`,
    tags: { countries: [], topics: [] },
  };
}

const VOCABULARY = 30_000;
const SYLLABLES = ['ka', 'ra', 'bu', 'li', 'stan', 'dor', 'pen', 'mi', 'sho', 'ta', 'vel', 'gan', 'ri', 'zo', 'nat', 'hu', 'me', 'qar'];

/**
 * A pseudo-word of rank r with probability ∝ 1/r, from rank 300 on: the commonest words of real news are
 * stopwords or `COMMON_NEWS_WORDS`, which the sketch leaves out of its bands.
 */
function zipfWord(random: () => number): string {
  const rank = Math.floor(Math.exp(Math.log(300) + random() * Math.log(VOCABULARY / 300)));
  let word = '';
  for (let v = rank; ; v = Math.floor(v / SYLLABLES.length)) {
    word += SYLLABLES[v % SYLLABLES.length];
    if (v < SYLLABLES.length) break;
  }
  return word;
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
