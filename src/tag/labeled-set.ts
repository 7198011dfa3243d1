import { readFileSync } from 'node:fs';
import type { TagInput } from '../core/index.js';
import type { ExplainingTagger } from './index.js';

/** One hand-labeled item of `tests/fixtures/tag/labeled.jsonl`. */
export interface LabeledItem {
  readonly input: TagInput;
  readonly expected: { readonly countries: readonly string[]; readonly topics: readonly string[] };
  readonly note?: string;
}

export interface Score {
  readonly tp: number;
  readonly fp: number;
  readonly fn: number;
  readonly precision: number;
  readonly recall: number;
  readonly f1: number;
}

export interface Miss {
  readonly line: number;
  readonly title: string;
  readonly kind: 'countries' | 'topics';
  readonly expected: readonly string[];
  readonly got: readonly string[];
  readonly note?: string;
}

export interface Evaluation {
  readonly items: number;
  readonly countries: Score;
  readonly topics: Score;
  readonly misses: readonly Miss[];
}

/** Reads the labeled set (JSON lines). */
export function readLabeledSet(file: string): LabeledItem[] {
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as LabeledItem);
}

function score(tp: number, fp: number, fn: number): Score {
  const precision = tp + fp === 0 ? 1 : tp / (tp + fp);
  const recall = tp + fn === 0 ? 1 : tp / (tp + fn);
  const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
  return { tp, fp, fn, precision, recall, f1 };
}

/** Micro precision, recall and F1 for countries and topics over the labeled set, and every item that differs. */
export function evaluateTagger(tagger: ExplainingTagger, items: readonly LabeledItem[]): Evaluation {
  const c = { tp: 0, fp: 0, fn: 0 };
  const t = { tp: 0, fp: 0, fn: 0 };
  const misses: Miss[] = [];
  items.forEach((item, index) => {
    const got = tagger.tag(item.input);
    for (const [kind, acc, expected, actual] of [
      ['countries', c, item.expected.countries, got.countries],
      ['topics', t, item.expected.topics, got.topics],
    ] as const) {
      const exp = new Set<string>(expected);
      const act = new Set<string>(actual);
      let differs = false;
      for (const x of act) {
        if (exp.has(x)) acc.tp++;
        else {
          acc.fp++;
          differs = true;
        }
      }
      for (const x of exp) {
        if (!act.has(x)) {
          acc.fn++;
          differs = true;
        }
      }
      if (differs) misses.push({ line: index + 1, title: item.input.title, kind, expected: [...exp], got: [...act], ...(item.note ? { note: item.note } : {}) });
    }
  });
  return { items: items.length, countries: score(c.tp, c.fp, c.fn), topics: score(t.tp, t.fp, t.fn), misses };
}
