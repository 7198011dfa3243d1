/**
 * Issue 7: an output folder that cannot be written ends the pass with exit 2 and a message naming the path, and the
 * files published before stay intact. Tests run as root here, where chmod 0555 stops nothing, so the failures are
 * made with regular files where folders must go: output.dir under a file (ENOTDIR), and a file squatting on the folder
 * of a section that a later pass needs (country/np).
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, rmdirSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { runCli } from '../e2e/helpers.js';
import { assertPublishedFilesValid, publishedFiles, rssGuids } from './support.js';

const NOW_RFC = new Date().toUTCString();
const feed = (name: string, stories: string[]) =>
  `<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>${name}</title><link>http://example.org/</link><description>d</description>${stories
    .map((s, i) => `<item><guid isPermaLink="false">${name}-${i}</guid><title>${s}</title><link>https://example.org/${name}/${i}</link><pubDate>${NOW_RFC}</pubDate><description>${s}. Reported this morning.</description></item>`)
    .join('')}</channel></rss>`;

describe('output folder not writable (issue 7)', () => {
  let dir: string;
  let server: Server;
  let base: string;
  let extraStory = false;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'newsmux-unwritable-'));
    server = createServer((req, res) => {
      if (req.url === '/pk.xml') res.writeHead(200, { 'Content-Type': 'application/rss+xml' }).end(feed('pk', ['Wheat prices steady in the market', 'New ferry timetable announced']));
      else if (req.url === '/pk2.xml')
        res.writeHead(200, { 'Content-Type': 'application/rss+xml' }).end(feed('pk2', ['Cotton exports rise again', ...(extraStory ? ['Harbour crane arrives from abroad'] : [])]));
      else if (req.url === '/np.xml') res.writeHead(200, { 'Content-Type': 'application/rss+xml' }).end(feed('np', ['Trekking permits go online next month']));
      else res.writeHead(404).end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    rmSync(dir, { recursive: true, force: true });
  });

  const config = (name: string, outputDir: string, sources: { id: string; name: string; url: string; country: string }[]) => {
    const file = join(dir, `${name}.yaml`);
    writeFileSync(
      file,
      stringify({
        store: join(dir, `${name}.db`),
        output: { dir: outputDir, baseUrl: 'https://news.example/', retentionDays: 3650 },
        fetch: { minIntervalMinutes: 0 },
        sources,
      }),
    );
    return file;
  };

  it('output.dir under a regular file: exit 2 naming the path', { timeout: 90_000 }, async () => {
    const blocker = join(dir, 'a-file');
    writeFileSync(blocker, 'not a folder\n');
    const outputDir = join(blocker, 'public');
    const file = config('under-file', outputDir, [{ id: 'pk', name: 'PK', url: `${base}/pk.xml`, country: 'PK' }]);
    const result = await runCli(['run', '-c', file]);
    expect(result.code).toBe(2);
    const said = result.stdout + result.stderr;
    expect(said).toContain(outputDir);
    expect(said).toMatch(/could not write|not writable|ENOTDIR/);
  });

  it('a section folder that cannot be created: exit 2 naming it, earlier files intact', { timeout: 120_000 }, async () => {
    const outputDir = join(dir, 'public');
    const pk = { id: 'pk', name: 'PK', url: `${base}/pk.xml`, country: 'PK' };
    const first = await runCli(['run', '-c', config('section', outputDir, [pk])]);
    expect(first.code, first.stderr).toBe(0);
    const before = publishedFiles(outputDir);
    expect(before.has('country/pk/feed.xml')).toBe(true);
    const guidsBefore = rssGuids(before.get('all/feed.xml') ?? '');
    expect(guidsBefore.length).toBe(2);

    // Something squats on the folder the next pass needs for Nepal.
    writeFileSync(join(outputDir, 'country/np'), 'squatter\n');
    const second = await runCli(['run', '-c', config('section', outputDir, [pk, { id: 'np', name: 'NP', url: `${base}/np.xml`, country: 'NP' }])]);
    expect(second.code).toBe(2);
    const said = second.stdout + second.stderr;
    expect(said).toMatch(/country\/np/);
    expect(said).toContain(outputDir);

    const after = publishedFiles(outputDir);
    assertPublishedFilesValid(after);
    for (const path of before.keys()) expect(after.has(path), path).toBe(true);
    const guidsAfter = new Set(rssGuids(after.get('all/feed.xml') ?? ''));
    expect(guidsBefore.filter((g) => !guidsAfter.has(g))).toEqual([]);
    // No temporary file is left behind.
    expect([...after.keys()].filter((p) => /\.tmp|~$/.test(p))).toEqual([]);
  });

  // A pass renders the sections its own changes touched; one that stored items and then failed to publish (exit 2, or
  // SIGKILL) leaves a marker in the store, so the next pass, though it finds nothing new, renders every section.
  it('after a failed publish, the next pass publishes what the failed pass stored', { timeout: 150_000 }, async () => {
    const outputDir = join(dir, 'public-retry');
    const file = config('retry', outputDir, [{ id: 'pk2', name: 'PK2', url: `${base}/pk2.xml`, country: 'PK' }]);
    expect((await runCli(['run', '-c', file])).code).toBe(0);
    const section = join(outputDir, 'country/pk');
    expect(readFileSync(join(section, 'atom.xml'), 'utf8')).toContain('Cotton exports rise again');

    // A new story arrives while country/pk/atom.xml cannot be replaced (a folder squats on its name): feed.xml is
    // written, then the pass fails with exit 2.
    extraStory = true;
    rmSync(join(section, 'atom.xml'));
    mkdirSync(join(section, 'atom.xml'));
    const failed = await runCli(['run', '-c', file]);
    expect(failed.code).toBe(2);
    expect(failed.stdout + failed.stderr).toContain('country/pk');

    // The obstacle is gone; the feed has nothing new. What the failed pass stored must now be published in full.
    rmdirSync(join(section, 'atom.xml'));
    const next = await runCli(['run', '-c', file]);
    expect(next.code, next.stderr).toBe(0);
    for (const name of ['feed.xml', 'atom.xml', 'feed.json']) {
      let content = '';
      try {
        content = readFileSync(join(section, name), 'utf8');
      } catch {
        // missing: the assertion below says which
      }
      expect(content, `country/pk/${name}`).toContain('Harbour crane arrives from abroad');
    }
  });
});
