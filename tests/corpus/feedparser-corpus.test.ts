/**
 * The feedparser test corpus (../shared/corpus/feedparser, BSD-2-Clause, see its README): every file goes through
 * parseFeed + normalizeFeed with no exception other than ParseError escaping and no file taking long, and the
 * translated checks of `expectations.jsonl` that concern title/link/id/author/dates/content are evaluated against our
 * normalized output.
 *
 * How feedparser paths map to our fields (checks on other paths — subtitle, language, tags, enclosures, … — are not
 * applicable and are not counted):
 *   feed.title                       → normalizeFeed().feedTitle            plain text of the expected value, or the
 *                                                                            value itself (feedparser gives text-typed
 *                                                                            titles as text, others as HTML)
 *   feed.link                        → ParsedFeed.link                      both sides through canonicalizeUrl
 *   entries[i].title                 → items[i].title                       as feed.title (not
 *                                                                            counted when that is empty: ours never is)
 *   entries[i].link                  → items[i].url                         both sides through canonicalizeUrl
 *   entries[i].id                    → items[i].guid                        exact
 *   entries[i].summary               → items[i].summaryHtml ?? contentHtml  expected run through our sanitizer with
 *   entries[i].content[0].value      → items[i].contentHtml                   the same base; whitespace collapsed
 *   entries[i].author, author_detail.name → items[i].author               plain text of the expected value
 *   entries[i].published(_parsed)    → items[i].publishedAt                 same instant (to the second)
 *   entries[i].updated(_parsed)      → items[i].updatedAt ?? publishedAt    same instant (to the second)
 * Items are matched by position; we merge repeated items, so a feed with duplicates can shift later indexes.
 * Sanitized HTML is compared after our sanitizer on both sides because feedparser keeps markup we drop on purpose
 * (style attributes, forms, class/id): the check is that the same content came out of the same element, with the
 * same links resolved. Dates are compared as instants; the expected string is read by `Date.parse` (the corpus
 * writes RFC 822 with GMT or ISO 8601 with a zone), independently of our own date parser.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { ParseError, type Item, type ParsedFeed } from '../../src/core/index.js';
import { canonicalizeUrl, normalizeFeed, plainTextFromHtml } from '../../src/normalize/index.js';
import { sanitizeFeedHtml } from '../../src/normalize/sanitize-feed-html.js';
import { parseFeed } from '../../src/parse/index.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const corpusDir = path.resolve(repoRoot, '../shared/corpus/feedparser');
const expectationsFile = path.join(corpusDir, 'expectations.jsonl');
const present = existsSync(expectationsFile);
if (!present) {
  console.warn(
    `\n!!!!!!!! feedparser corpus NOT FOUND at ${corpusDir}: the corpus test is SKIPPED. ` +
      `Check out ../shared/corpus/feedparser next to the repository to run it. !!!!!!!!\n`,
  );
}

/** The figure reached when this floor was set: 1155 of 1206 applicable checks. Raise it when the figure rises. */
const PASS_FLOOR = 1150;
/** No single file may take longer than this (parse + normalize): a runaway regex or loop shows up here. */
const MAX_FILE_MS = 2_000;
const NOW = Date.UTC(2030, 0, 1);

interface Check {
  readonly path: string;
  readonly equals: unknown;
}
interface Expectation {
  readonly file: string;
  readonly http?: { url: string; base: string; headers: Record<string, string> };
  readonly checks: readonly Check[];
}
interface Outcome {
  readonly exp: Expectation;
  readonly base: string;
  readonly feed?: ParsedFeed;
  readonly items: readonly Item[];
  readonly feedTitle?: string;
  readonly error?: unknown;
  readonly ms: number;
}

const collapse = (s: string): string => s.replace(/\s+/g, ' ').trim();

function instant(v: unknown): number | undefined {
  if (Array.isArray(v) && v.length >= 6) {
    const [y, mo, d, h, mi, s] = v as number[];
    return Date.UTC(y!, mo! - 1, d!, h!, mi!, s!);
  }
  if (typeof v === 'string') {
    const t = Date.parse(v);
    return Number.isNaN(t) ? undefined : t;
  }
  return undefined;
}

const sameSecond = (a: number | undefined, b: number | undefined): boolean =>
  a !== undefined && b !== undefined && Math.floor(a / 1000) === Math.floor(b / 1000);

/** Evaluate one check: true/false, or undefined when the path is not one we map. */
function evaluate(check: Check, o: Outcome): boolean | undefined {
  const expected = check.equals;
  if (check.path === 'feed.title') {
    const ours = o.feedTitle ?? '';
    return typeof expected === 'string' && (ours === plainTextFromHtml(expected) || ours === collapse(expected));
  }
  if (check.path === 'feed.link') {
    return typeof expected === 'string' && o.feed?.link !== undefined && canonicalizeUrl(o.feed.link, o.base) === canonicalizeUrl(expected, o.base);
  }
  const m = /^entries\[(\d+)\]\.(.+)$/.exec(check.path);
  if (!m) return undefined;
  const item = o.items[Number(m[1])];
  const field = m[2]!;
  const html = (ours: string | undefined): boolean =>
    typeof expected === 'string' && collapse(ours ?? '') === collapse(sanitizeFeedHtml(expected, o.base).html);
  switch (field) {
    case 'title': {
      // Our titles are never empty (made from the text when missing): an expected empty title is not comparable.
      const want = typeof expected === 'string' ? plainTextFromHtml(expected) : '';
      if (want === '') return undefined;
      // feedparser's value is HTML or plain text depending on the title's type: either reading may match.
      return item !== undefined && (item.title === want || item.title === collapse(String(expected)));
    }
    case 'link':
      return typeof expected === 'string' && item?.url !== undefined && item.url === canonicalizeUrl(expected, o.base);
    case 'id':
      return item !== undefined && item.guid === expected;
    case 'summary':
      // feedparser fills an entry's summary from its content when it has none; we leave summaryHtml empty then.
      return item !== undefined && html(item.summaryHtml ?? item.contentHtml);
    case 'content[0].value':
      return item !== undefined && html(item.contentHtml);
    case 'author':
    case 'author_detail.name':
      return typeof expected === 'string' && item?.author === plainTextFromHtml(expected);
    case 'published':
    case 'published_parsed':
      return item !== undefined && sameSecond(item.publishedAt, instant(expected));
    case 'updated':
    case 'updated_parsed':
      return item !== undefined && sameSecond(item.updatedAt ?? item.publishedAt, instant(expected));
    default:
      return undefined;
  }
}

function run(exp: Expectation): Outcome {
  const base = exp.http?.base ?? `http://corpus.invalid/${exp.file}`;
  const bytes = readFileSync(path.join(corpusDir, exp.file));
  const t0 = performance.now();
  try {
    const feed = parseFeed(bytes, { sourceId: 'corpus', url: base, contentType: exp.http?.headers['content-type'] });
    const norm = normalizeFeed(feed, { sourceId: 'corpus', feedUrl: base, now: NOW });
    return { exp, base, feed, items: norm.items, feedTitle: norm.feedTitle, ms: performance.now() - t0 };
  } catch (error) {
    return { exp, base, items: [], error, ms: performance.now() - t0 };
  }
}

describe.skipIf(!present)('feedparser corpus', () => {
  let outcomes: Outcome[] = [];

  beforeAll(() => {
    const lines = readFileSync(expectationsFile, 'utf8').split('\n').filter((l) => l.trim());
    outcomes = lines.map((l) => run(JSON.parse(l) as Expectation));
  });

  it('parses and normalizes every file with no exception but ParseError escaping, and no file taking long', () => {
    const escaped = outcomes.filter((o) => o.error !== undefined && !(o.error instanceof ParseError));
    expect(escaped.map((o) => `${o.exp.file}: ${String(o.error)}`)).toEqual([]);
    const slow = outcomes.filter((o) => o.ms > MAX_FILE_MS).map((o) => `${o.exp.file}: ${o.ms.toFixed(0)} ms`);
    expect(slow).toEqual([]);
    const parseErrors = outcomes.filter((o) => o.error instanceof ParseError).length;
    console.log(`feedparser corpus: ${outcomes.length} files, ${outcomes.length - parseErrors} parsed, ${parseErrors} ParseError`);
  });

  it(`passes at least ${PASS_FLOOR} of the applicable translated checks`, () => {
    let applicable = 0;
    let passed = 0;
    const byField = new Map<string, [number, number]>();
    const failures: string[] = [];
    for (const o of outcomes) {
      for (const check of o.exp.checks) {
        const result = evaluate(check, o);
        if (result === undefined) continue;
        applicable++;
        const field = check.path.replace(/\[\d+\]/g, '[]');
        const tally = byField.get(field) ?? [0, 0];
        tally[1]++;
        if (result) {
          passed++;
          tally[0]++;
        } else {
          failures.push(`${o.exp.file} ${check.path}`);
        }
        byField.set(field, tally);
      }
    }
    const lines = [...byField].sort((a, b) => b[1][1] - a[1][1]).map(([f, [p, n]]) => `  ${f}: ${p}/${n}`);
    console.log(`feedparser corpus checks: ${passed}/${applicable} applicable passed (${((100 * passed) / applicable).toFixed(1)}%)\n${lines.join('\n')}`);
    if (process.env.CORPUS_FAILURES) console.log(failures.join('\n'));
    expect(passed).toBeGreaterThanOrEqual(PASS_FLOOR);
  });
});
