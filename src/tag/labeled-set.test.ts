import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { createTagger } from './index.js';
import { evaluateTagger, readLabeledSet } from './labeled-set.js';

const file = fileURLToPath(new URL('../../tests/fixtures/tag/labeled.jsonl', import.meta.url));
const items = readLabeledSet(file);
const SOUTH_ASIA = new Set(['AF', 'PK', 'IN', 'BD', 'LK', 'NP', 'BT', 'MV']);

describe('the labeled set', () => {
  it('is as large and as varied as the issue asks', () => {
    expect(items.length).toBeGreaterThanOrEqual(300);
    const countries = new Set(items.flatMap((i) => i.expected.countries));
    expect(countries.size).toBeGreaterThanOrEqual(100);
    expect(items.filter((i) => i.expected.countries.some((c) => SOUTH_ASIA.has(c))).length).toBeGreaterThanOrEqual(60);
    expect(items.filter((i) => i.note?.startsWith('hard:')).length).toBeGreaterThanOrEqual(60);
    const topics = new Map<string, number>();
    for (const i of items) for (const t of i.expected.topics) topics.set(t, (topics.get(t) ?? 0) + 1);
    expect(topics.size).toBe(17);
    for (const [, n] of topics) expect(n).toBeGreaterThanOrEqual(8);
    const languages = new Set(items.map((i) => i.input.language).filter(Boolean));
    for (const lang of ['ur', 'hi', 'bn', 'fa', 'ps', 'ar', 'ru', 'zh', 'ta', 'ne']) expect(languages).toContain(lang);
  });
});

// Floors just under the figures reached (see `npm run eval:tagging`): quality may only go up.
describe('tagging quality on the labeled set', () => {
  const result = evaluateTagger(createTagger(), items);
  it('country micro-F1 stays at or above the floor', () => {
    expect(result.countries.f1).toBeGreaterThanOrEqual(0.96);
    expect(result.countries.precision).toBeGreaterThanOrEqual(0.94);
    expect(result.countries.recall).toBeGreaterThanOrEqual(0.975);
  });
  it('topic micro-F1 stays at or above the floor', () => {
    expect(result.topics.f1).toBeGreaterThanOrEqual(0.85);
    expect(result.topics.precision).toBeGreaterThanOrEqual(0.85);
    expect(result.topics.recall).toBeGreaterThanOrEqual(0.845);
  });
});
