import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { evaluateLabeledSet, readLabeledSet } from './evaluate.js';
import { createNearDuplicateMatcher } from './near-duplicate.js';

const labeled = readLabeledSet(fileURLToPath(new URL('../../tests/fixtures/dedupe/labeled.jsonl', import.meta.url)));

describe('labeled near-duplicate set (tests/fixtures/dedupe/labeled.jsonl)', () => {
  it('is the size the issue asks for', () => {
    const clusters = new Map<string, number>();
    for (const l of labeled) clusters.set(l.cluster, (clusters.get(l.cluster) ?? 0) + 1);
    expect(labeled.length).toBeGreaterThanOrEqual(200);
    expect([...clusters.values()].filter((n) => n > 1).length).toBeGreaterThanOrEqual(50);
    expect([...clusters.keys()].filter((c) => c.startsWith('h') && clusters.get(c) === 1).length).toBeGreaterThanOrEqual(20);
    expect(new Set(labeled.map((l) => l.sourceId)).size).toBeGreaterThanOrEqual(10);
    expect(new Set(labeled.map((l) => l.id)).size).toBe(labeled.length);
  });

  // Floors just under the figures reached (precision 1.000, recall 0.928): a change that loses either fails here.
  it('keeps pairwise precision and recall above their floors', () => {
    const result = evaluateLabeledSet(labeled, createNearDuplicateMatcher({ windowMs: 72 * 3600_000 }));
    expect(result.falseMerges.map((r) => `${r.a.id} + ${r.b.id}`)).toEqual([]);
    expect(result.precision).toBeGreaterThanOrEqual(0.99);
    expect(result.recall).toBeGreaterThanOrEqual(0.92);
  });
});
