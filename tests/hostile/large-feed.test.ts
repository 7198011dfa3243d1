/**
 * Issue 7, "a 50 MB feed within limits (memory stays bounded)": a feed of 10,000 items and 50 MB, allowed by
 * `fetch.maxBytes`, is read in one pass from a loopback server. The pass completes, keeps the newest
 * `fetch.maxItemsPerFeed` items, and the whole process's peak memory grows by a bounded multiple of the body over the
 * same pass on a small feed (parsing needs the document; everything after it, only the items kept).
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { repoRoot, runCli } from '../e2e/helpers.js';

const MB = 1024 * 1024;
const PARAGRAPH = 'Officials said the decision followed weeks of consultation and that details would follow after the meeting.';

/** An RSS feed of `count` items of ~5 KB each, newest first, one minute apart. */
function bigFeed(count: number): Buffer {
  const now = Date.now();
  const parts = ['<?xml version="1.0" encoding="utf-8"?>\n<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel><title>Archive</title><link>http://example.org/</link><description>d</description>\n'];
  for (let i = 0; i < count; i++) {
    const body = Array.from({ length: 45 }, (_, k) => `${PARAGRAPH} Item ${i}, part ${k}.`).join(' ');
    parts.push(
      `<item><guid isPermaLink="false">archive-${i}</guid><title>Archive story ${i} on river level ${i % 97}</title><link>https://example.org/archive/${i}</link>` +
        `<pubDate>${new Date(now - i * 60_000).toUTCString()}</pubDate><description>Summary of story ${i}.</description>` +
        `<content:encoded><![CDATA[<p>${body}</p>]]></content:encoded></item>\n`,
    );
  }
  parts.push('</channel></rss>\n');
  return Buffer.from(parts.join(''));
}

describe('a 50 MB feed within limits', () => {
  const dir = mkdtempSync(join(tmpdir(), 'newsmux-large-'));
  const bodies = { small: bigFeed(200), large: bigFeed(10_000) };
  let server: Server;
  let base = '';

  beforeAll(async () => {
    server = createServer((req, res) => {
      const body = req.url === '/large.xml' ? bodies.large : bodies.small;
      res.writeHead(200, { 'Content-Type': 'application/rss+xml; charset=utf-8', 'Content-Length': body.length }).end(body);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
    rmSync(dir, { recursive: true, force: true });
  });

  /** One `newsmux run` over one feed; its exit code, what `sources` says, and its peak RSS in bytes. */
  const pass = async (name: 'small' | 'large') => {
    const config = join(dir, `${name}.yaml`);
    writeFileSync(
      config,
      stringify({
        store: join(dir, `${name}.db`),
        output: { dir: join(dir, `public-${name}`), baseUrl: 'https://news.example/' },
        fetch: { maxBytes: 64 * MB, timeoutMs: 120_000, allowPrivateAddresses: true },
        sources: [{ id: 'archive', name: 'Archive', url: `${base}/${name}.xml` }],
      }),
    );
    const rssFile = join(dir, `${name}.rss`);
    const run = await runCli(['run', '-c', config], {
      NODE_OPTIONS: `--import=${join(repoRoot, 'tests/hostile/peak-rss.mjs')}`,
      NEWSMUX_TEST_PEAK_RSS_FILE: rssFile,
    });
    const listed = JSON.parse((await runCli(['sources', '--json', '-c', config])).stdout) as { status: string; items: number }[];
    return { code: run.code, log: run.stdout, source: listed[0], peakRss: Number(readFileSync(rssFile, 'utf8')) };
  };

  it('is read whole within its deadline: the newest items are kept, and memory grows by a bounded multiple of the body', async () => {
    expect(bodies.large.length).toBeGreaterThan(50 * MB);
    const small = await pass('small');
    const large = await pass('large');
    expect(small).toMatchObject({ code: 0, source: { status: 'ok', items: 200 } });
    expect(large, large.log.slice(-2000)).toMatchObject({ code: 0, source: { status: 'ok', items: 1000 } });
    expect(large.log).toContain('the feed has 10000 items; read the newest 1000 (fetch.maxItemsPerFeed)');
    // Measured: about 5 times the body (the document while it is parsed); reading all 10,000 items took about 15 times.
    const growth = (large.peakRss - small.peakRss) / bodies.large.length;
    expect(growth, `peak RSS ${Math.round(small.peakRss / MB)} MB → ${Math.round(large.peakRss / MB)} MB`).toBeLessThan(8);
  }, 240_000);
});
