/**
 * Issue 7, fuzzing: every file of ../shared/corpus/feedparser plus a few hundred fast-check mutations of them (byte
 * flips, truncations, deleted closing tags) are served from loopback and pushed through whole passes (fetch → parse →
 * normalize → store → publish), 200 sources a pass: no exception escapes a pass, no pass hangs (test deadline, fetch
 * deadline), every published file parses. Files that are HTML pages linking a feed elsewhere are left out, because
 * feed discovery would fetch that link and this test must never leave 127.0.0.1 (none are in the corpus today).
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import fc from 'fast-check';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { runPass } from '../../src/cli/pass.js';
import { openRuntime } from '../../src/cli/runtime.js';
import { repoRoot } from '../e2e/helpers.js';
import { assertPublishedFilesValid, publishedFiles } from './support.js';

const corpusDir = join(repoRoot, '../shared/corpus/feedparser');
const present = existsSync(corpusDir);
if (!present) {
  console.warn(`\n!!!!!!!! feedparser corpus NOT FOUND at ${corpusDir}: the fuzz pass test is SKIPPED. !!!!!!!!\n`);
}
const MUTATIONS = Number(process.env.NEWSMUX_FUZZ_MUTATIONS ?? 1500);
const BATCH = 200;
const silent = pino({ level: 'silent' });

interface Body {
  readonly name: string;
  readonly bytes: Buffer;
}

function corpusFiles(): Body[] {
  const out: Body[] = [];
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (/\.(xml|json)$/.test(e.name)) out.push({ name: relative(corpusDir, p), bytes: readFileSync(p) });
    }
  };
  walk(corpusDir);
  // Never let feed discovery follow a link off loopback.
  return out.filter((b) => {
    const text = b.bytes.toString('latin1');
    return !(/<html/i.test(text) && /alternate/i.test(text));
  });
}

type Mutation = { kind: 'flip'; at: number[]; bytes: number[] } | { kind: 'truncate'; at: number } | { kind: 'unclose'; which: number[] };

const mutationArb = (files: number) =>
  fc.record({
    file: fc.nat({ max: files - 1 }),
    mutation: fc.oneof(
      fc.record({ kind: fc.constant('flip' as const), at: fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: 1, maxLength: 8 }).map((a) => a.map((x) => x)), bytes: fc.array(fc.integer({ min: 0, max: 255 }), { minLength: 8, maxLength: 8 }) }).map(
        (m) => ({ ...m, at: m.at.map((x) => Math.floor(x * 1e9)) }) as Mutation,
      ),
      fc.record({ kind: fc.constant('truncate' as const), at: fc.double({ min: 0, max: 1, noNaN: true }).map((x) => Math.floor(x * 1e9)) }) as fc.Arbitrary<Mutation>,
      fc.record({ kind: fc.constant('unclose' as const), which: fc.array(fc.nat({ max: 1e6 }), { minLength: 1, maxLength: 4 }) }) as fc.Arbitrary<Mutation>,
    ),
  });

function mutate(bytes: Buffer, m: Mutation): Buffer {
  if (bytes.length === 0) return bytes;
  if (m.kind === 'flip') {
    const out = Buffer.from(bytes);
    m.at.forEach((at, i) => (out[at % out.length] = m.bytes[i % m.bytes.length] as number));
    return out;
  }
  if (m.kind === 'truncate') return bytes.subarray(0, m.at % bytes.length);
  // Delete some closing tags.
  const text = bytes.toString('latin1');
  const closers = [...text.matchAll(/<\/[A-Za-z:_-]+\s*>/g)];
  if (closers.length === 0) return bytes;
  const drop = new Set(m.which.map((w) => w % closers.length));
  let out = '';
  let last = 0;
  closers.forEach((c, i) => {
    if (!drop.has(i)) return;
    out += text.slice(last, c.index);
    last = (c.index as number) + c[0].length;
  });
  return Buffer.from(out + text.slice(last), 'latin1');
}

describe.skipIf(!present)('fuzzed feeds through whole passes (issue 7)', () => {
  let dir: string;
  let server: Server;
  let base: string;
  const bodies: Body[] = [];

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'newsmux-fuzz-'));
    const files = corpusFiles();
    bodies.push(...files);
    const samples = fc.sample(mutationArb(files.length), { numRuns: MUTATIONS, seed: 20261124 });
    samples.forEach((s, i) => {
      const source = files[s.file] as Body;
      bodies.push({ name: `mutation ${i} (${s.mutation.kind}) of ${source.name}`, bytes: mutate(source.bytes, s.mutation) });
    });
    server = createServer((req, res) => {
      const n = Number(/^\/f\/(\d+)$/.exec(req.url ?? '')?.[1] ?? -1);
      const body = bodies[n];
      if (!body) return void res.writeHead(404).end();
      res.writeHead(200, { 'Content-Type': body.name.endsWith('.json') ? 'application/feed+json' : 'application/xml' }).end(body.bytes);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    server?.closeAllConnections();
    await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
    rmSync(dir, { recursive: true, force: true });
  });

  it('no exception escapes, no hang, every published file is valid', async () => {
    const outputDir = join(dir, 'public');
    let published = 0;
    let failed = 0;
    for (let start = 0; start < bodies.length; start += BATCH) {
      const batch = bodies.slice(start, start + BATCH).map((_, i) => start + i);
      const configFile = join(dir, `batch-${start}.yaml`);
      writeFileSync(
        configFile,
        stringify({
          store: join(dir, 'store.db'),
          workers: 0,
          output: { dir: outputDir, baseUrl: 'https://news.example/', retentionDays: 3650, itemsPerFeed: 200 },
          fetch: { minIntervalMinutes: 0, timeoutMs: 5000, concurrency: 64, perHost: 64 },
          sources: batch.map((n) => ({ id: `f-${n}`, name: `Fuzz ${n}`, url: `${base}/f/${n}` })),
        }),
      );
      const runtime = await openRuntime(configFile, silent);
      try {
        // The corpus is full of dates from 2002–2010: a clock in 2012 keeps their items within retention.
        const t0 = Date.now();
        const summary = await runPass({ ...runtime.passDeps, clock: () => Date.UTC(2012, 0, 1) + (Date.now() - t0) });
        expect(summary.sourcesDue, `batch at ${start}`).toBe(batch.length);
        expect(summary.sourcesOk + summary.sourcesFailed + summary.sourcesNotModified).toBe(batch.length);
        failed += summary.sourcesFailed;
        published += summary.itemsNew;
      } finally {
        await runtime.close();
      }
      assertPublishedFilesValid(publishedFiles(outputDir));
    }
    console.info(`fuzz-pass: ${bodies.length} bodies (${bodies.length - MUTATIONS} corpus files, ${MUTATIONS} mutations), ${failed} sources failed cleanly, ${published} new items`);
    expect(published).toBeGreaterThan(100);
  }, 240_000);
});
