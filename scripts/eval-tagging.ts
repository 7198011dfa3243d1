/**
 * Tagging quality on the hand-labeled set: micro precision, recall and F1 for countries and topics, then every miss.
 * Run: `npm run eval:tagging` (targets: country F1 ≥ 0.95, topic micro-F1 ≥ 0.85). `--quiet` prints the figures only.
 */
import { fileURLToPath } from 'node:url';
import { createTagger } from '../src/tag/index.js';
import { evaluateTagger, readLabeledSet } from '../src/tag/labeled-set.js';
import type { Score } from '../src/tag/labeled-set.js';

const file = fileURLToPath(new URL('../tests/fixtures/tag/labeled.jsonl', import.meta.url));
const items = readLabeledSet(file);
const tagger = createTagger();
const result = evaluateTagger(tagger, items);

const pct = (n: number): string => n.toFixed(3);
const line = (name: string, s: Score, target: number): string =>
  `${name.padEnd(10)} P ${pct(s.precision)}  R ${pct(s.recall)}  F1 ${pct(s.f1)}  (tp ${s.tp}, fp ${s.fp}, fn ${s.fn}; target F1 ≥ ${target})`;

if (!process.argv.includes('--quiet')) {
  for (const kind of ['countries', 'topics'] as const) {
    const misses = result.misses.filter((m) => m.kind === kind);
    console.log(`\n${kind} misses (${misses.length}):`);
    for (const m of misses) {
      console.log(`  #${m.line} ${m.title.slice(0, 90)}\n      expected [${m.expected.join(', ')}] got [${m.got.join(', ')}]${m.note ? `  (${m.note})` : ''}`);
    }
  }
}
console.log(`\nlabeled set: ${result.items} items (${file})`);
console.log(line('countries', result.countries, 0.95));
console.log(line('topics', result.topics, 0.85));
