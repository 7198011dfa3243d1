/**
 * `npm run eval:dedupe`: runs the labeled set (tests/fixtures/dedupe/labeled.jsonl) through the near-duplicate
 * matcher in publication order, with an in-memory band index that looks candidates up as the store does, and prints
 * pairwise precision, recall and F1, then every false merge and every miss.
 */
import { fileURLToPath } from 'node:url';
import { createNearDuplicateMatcher } from '../src/dedupe/index.js';
import { evaluateLabeledSet, type PairReport, readLabeledSet } from '../src/dedupe/evaluate.js';

const WINDOW_MS = 72 * 3600_000;
const path = fileURLToPath(new URL('../tests/fixtures/dedupe/labeled.jsonl', import.meta.url));
const verbose = process.argv.includes('--verbose');

const labeled = readLabeledSet(path);
const result = evaluateLabeledSet(labeled, createNearDuplicateMatcher({ windowMs: WINDOW_MS }));

const pct = (x: number) => x.toFixed(4);
console.log(`labeled set: ${result.items} items, ${result.stories} stories, ${new Set(labeled.map((l) => l.sourceId)).size} sources`);
console.log(`pairs: ${result.truePairs} true, ${result.predictedPairs} predicted, ${result.correctPairs} correct`);
console.log(`precision ${pct(result.precision)}  recall ${pct(result.recall)}  F1 ${pct(result.f1)}`);
console.log(`band candidates per item: ${result.candidatesPerItem.toFixed(2)}`);

const describe = (r: PairReport) => {
  const lines = [
    `  ${r.a.id}  "${r.a.title}"`,
    `  ${r.b.id}  "${r.b.title}"`,
  ];
  const c = r.comparison;
  if (!r.candidate) lines.push('    not a band candidate');
  if (c) {
    lines.push(
      `    ${c.same ? 'same' : `apart: ${c.reason}`}; score ${c.score.toFixed(2)}; lede ${c.lede.shared} shared, ` +
        `containment ${c.lede.containment.toFixed(2)}, head ${c.lede.head.toFixed(2)}; title ${c.title.shared} shared, ` +
        `containment ${c.title.containment.toFixed(2)}; figures ${c.figures.shared}/${c.figures.shared + c.figures.unmatched} ` +
        `(${c.figures.specific} precise), headline figures unmatched ${c.figures.titleUnmatched.join('/')}; ` +
        `names ${c.entities.shared} shared, headline names unmatched ${c.entities.titleUnmatched.join('/')}` +
        `${c.entities.countriesDiffer ? ', headline countries differ' : ''}${c.weekdaysDisjoint ? '; different weekdays' : ''}`,
    );
  }
  return lines.join('\n');
};

console.log(`\nfalse merges: ${result.falseMerges.length}`);
for (const r of result.falseMerges) console.log(describe(r));
console.log(`\nmisses: ${result.misses.length}`);
for (const r of verbose ? result.misses : result.misses.slice(0, 40)) console.log(describe(r));
if (!verbose && result.misses.length > 40) console.log(`  … ${result.misses.length - 40} more (--verbose)`);
