/**
 * Golden pairs: every `tests/fixtures/feeds/<name>.xml|json|html` goes through parseFeed + normalizeFeed with a
 * fixed clock and must produce `<name>.expected.json` (dates as ISO strings for reading). An optional `input` object
 * in the expected file sets the fetch URL, Content-Type and previous key mode. A body that is not a feed expects
 * `{ "error": <ParseError message> }`.
 *
 * After a deliberate change: `UPDATE_GOLDEN=1 npx vitest run src/parse/feed-fixtures.test.ts`, then review the diff.
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ParseError, type Item, type ItemKeyMode } from '../core/index.js';
import { normalizeFeed } from '../normalize/index.js';
import { parseFeed } from './index.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const dir = path.join(repoRoot, 'tests/fixtures/feeds');
const NOW = Date.UTC(2025, 5, 15, 12, 0, 0);
const update = process.env.UPDATE_GOLDEN === '1';

interface GoldenInput {
  readonly url?: string;
  readonly contentType?: string;
  readonly previousKeyMode?: ItemKeyMode;
  readonly language?: string;
}

const cases = readdirSync(dir)
  .filter((f) => /\.(xml|json|html)$/.test(f) && !f.endsWith('.expected.json'))
  .sort()
  .map((file) => ({ name: file.replace(/\.(xml|json|html)$/, ''), file }));

function readable(item: Item): Record<string, unknown> {
  return {
    ...item,
    publishedAt: new Date(item.publishedAt).toISOString(),
    ...(item.updatedAt !== undefined ? { updatedAt: new Date(item.updatedAt).toISOString() } : {}),
  };
}

function run(file: string, input: GoldenInput): Record<string, unknown> {
  const url = input.url ?? `https://feeds.example/${file}`;
  const bytes = readFileSync(path.join(dir, file));
  try {
    const feed = parseFeed(bytes, { sourceId: 'fixture', url, contentType: input.contentType });
    const norm = normalizeFeed(feed, {
      sourceId: 'fixture',
      feedUrl: url,
      now: NOW,
      language: input.language,
      previousKeyMode: input.previousKeyMode,
    });
    return {
      feed: { format: feed.format, title: feed.title, link: feed.link, language: feed.language, ttlMinutes: feed.ttlMinutes },
      feedTitle: norm.feedTitle,
      itemKeyMode: norm.itemKeyMode,
      warnings: [...feed.warnings, ...norm.warnings],
      items: norm.items.map(readable),
    };
  } catch (err) {
    if (err instanceof ParseError) return { error: err.message };
    throw err;
  }
}

describe('feed fixtures (golden pairs)', () => {
  it('has fixtures', () => {
    expect(cases.length).toBeGreaterThan(20);
  });

  it.each(cases)('$name', ({ name, file }) => {
    const expectedPath = path.join(dir, `${name}.expected.json`);
    const golden = existsSync(expectedPath) ? (JSON.parse(readFileSync(expectedPath, 'utf8')) as Record<string, unknown>) : undefined;
    const input = (golden?.input ?? {}) as GoldenInput;
    // JSON round trip drops undefined fields, as the golden file does.
    const actual = JSON.parse(JSON.stringify({ ...(golden?.input ? { input } : {}), ...run(file, input) })) as Record<string, unknown>;
    if (update) {
      writeFileSync(expectedPath, `${JSON.stringify(actual, null, 2)}\n`);
      return;
    }
    expect(golden, `${name}.expected.json is missing (UPDATE_GOLDEN=1 writes it)`).toBeDefined();
    expect(actual).toEqual(golden);
  });
});
