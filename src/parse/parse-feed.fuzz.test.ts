/**
 * Mutated feeds (byte flips, truncations, deleted end tags, duplicated or swapped slices) through parseFeed +
 * normalizeFeed: nothing but a ParseError may escape, nothing may take long, and what comes out is always safe to
 * publish (no script, no event handler, no javascript: in any HTML field; no control characters anywhere).
 * FUZZ_RUNS raises the number of cases (default 300).
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ParseError } from '../core/index.js';
import { normalizeFeed } from '../normalize/index.js';
import { parseFeed } from './index.js';

const dir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../tests/fixtures/feeds');
const seeds = readdirSync(dir)
  .filter((f) => /\.(xml|json)$/.test(f) && !f.endsWith('.expected.json'))
  .sort()
  .map((f) => readFileSync(path.join(dir, f)));

type Mutation =
  | { kind: 'flip'; at: number; byte: number }
  | { kind: 'truncate'; at: number }
  | { kind: 'delete-end-tag'; nth: number }
  | { kind: 'duplicate'; at: number; len: number }
  | { kind: 'delete'; at: number; len: number };

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant('flip' as const), at: fc.nat(), byte: fc.integer({ min: 0, max: 255 }) }),
  fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('delete-end-tag' as const), nth: fc.nat(40) }),
  fc.record({ kind: fc.constant('duplicate' as const), at: fc.nat(), len: fc.nat(400) }),
  fc.record({ kind: fc.constant('delete' as const), at: fc.nat(), len: fc.nat(60) }),
);

function mutate(seed: Buffer, mutations: readonly Mutation[]): Buffer {
  let b = Buffer.from(seed);
  for (const m of mutations) {
    if (b.length === 0) break;
    const at = 'at' in m ? m.at % b.length : 0;
    switch (m.kind) {
      case 'flip':
        b[at] = m.byte;
        break;
      case 'truncate':
        b = b.subarray(0, at);
        break;
      case 'delete-end-tag': {
        const text = b.toString('latin1');
        const ends = [...text.matchAll(/<\/[^>]+>/g)];
        const hit = ends.length ? ends[m.nth % ends.length] : undefined;
        if (hit?.index !== undefined) b = Buffer.concat([b.subarray(0, hit.index), b.subarray(hit.index + hit[0].length)]);
        break;
      }
      case 'duplicate':
        b = Buffer.concat([b.subarray(0, at + m.len), b.subarray(at)]);
        break;
      case 'delete':
        b = Buffer.concat([b.subarray(0, at), b.subarray(at + m.len)]);
        break;
    }
  }
  return b;
}

/** Dangerous elements, event handlers, style attributes, or a URL attribute whose value is a script or non-image
 * data: URL (`javascript:` inside an http URL's path, or as plain text, is harmless). */
const UNSAFE_HTML =
  /<\s*(script|style|iframe|object|embed|form|svg|math|base|meta|link)\b|<[^>]*(\son[a-z]+\s*=|\sstyle\s*=|\s(href|src|cite|poster|srcset)\s*=\s*["']?\s*((java|vb)script\s*:|data:(?!image\/)))/i;
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/;

describe('parseFeed + normalizeFeed on mutated feeds', () => {
  it('never throw anything but ParseError, never hang, and only ever emit safe items', () => {
    fc.assert(
      fc.property(fc.nat(seeds.length - 1), fc.array(mutation, { minLength: 1, maxLength: 4 }), (seedIndex, mutations) => {
        const bytes = mutate(seeds[seedIndex]!, mutations);
        const t0 = performance.now();
        try {
          const feed = parseFeed(bytes, { sourceId: 'fuzz', url: 'https://fuzz.example/feed' });
          const out = normalizeFeed(feed, { sourceId: 'fuzz', feedUrl: 'https://fuzz.example/feed', now: Date.UTC(2025, 5, 15) });
          for (const item of out.items) {
            for (const html of [item.summaryHtml, item.contentHtml]) if (html) expect(html).not.toMatch(UNSAFE_HTML);
            for (const s of [item.title, item.summaryText, item.contentText, item.author, item.url, ...item.categories]) {
              if (s !== undefined) expect(s).not.toMatch(CONTROL);
            }
            expect(item.title).not.toBe('');
            expect(item.id).toMatch(/^[0-9a-f]{16}$/);
            if (item.url) expect(item.url).toMatch(/^https?:\/\//);
          }
        } catch (err) {
          if (!(err instanceof ParseError)) throw err;
        }
        expect(performance.now() - t0).toBeLessThan(2_000);
      }),
      { numRuns: Number(process.env.FUZZ_RUNS ?? 300) },
    );
  });
});
