import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import Parser from 'rss-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runPass } from '../../src/cli/pass.js';
import { openRuntime } from '../../src/cli/runtime.js';
import { startSampleFeedServer } from '../../src/demo/sample-feed-server.js';
import { parseStrictXml } from './strict-xml.js';
import { runCli, snapshotTree, writeSampleConfig } from './helpers.js';

const silent = pino({ level: 'silent' });

describe('a pass over the bundled sample feeds and a broken one', () => {
  let dir: string;
  let configFile: string;
  let samples: Awaited<ReturnType<typeof startSampleFeedServer>>;
  let broken: ReturnType<typeof createServer>;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'newsmux-e2e-'));
    samples = await startSampleFeedServer();
    // A source that always answers 500: it must be reported, and must not harm the others.
    broken = createServer((_req, res) => res.writeHead(500).end('boom'));
    await new Promise<void>((resolve) => broken.listen(0, '127.0.0.1', resolve));
    const brokenUrl = `http://127.0.0.1:${(broken.address() as AddressInfo).port}/feed.xml`;
    configFile = writeSampleConfig(dir, samples.feeds, {
      // Every pass fetches every source again (they answer 304 or the same bytes), so "nothing new" is tested for real.
      fetch: { minIntervalMinutes: 0 },
      sources: [{ id: 'always-500', name: 'Always 500', url: brokenUrl }],
    });
  });

  afterAll(async () => {
    await samples.close();
    broken.closeAllConnections();
    await new Promise<void>((resolve) => broken.close(() => resolve()));
    rmSync(dir, { recursive: true, force: true });
  });

  it('`newsmux run` exits 0 when a source fails and logs one summary line', async () => {
    const result = await runCli(['run', '-c', configFile]);
    expect(result.code).toBe(0);
    const lines = result.stdout.split('\n').filter(Boolean).map((l) => JSON.parse(l) as { msg: string; source?: string });
    expect(lines.filter((l) => l.msg === 'pass finished')).toHaveLength(1);
    expect(lines.some((l) => l.msg === 'fetch failed' && l.source === 'always-500')).toBe(true);
    const summary = lines.find((l) => l.msg === 'pass finished') as unknown as { sources: { ok: number; failed: number }; items: { new: number } };
    expect(summary.sources).toMatchObject({ ok: samples.feeds.length, failed: 1 });
    expect(summary.items.new).toBeGreaterThan(20);
  });
  it('the first pass published valid feeds; a second pass with nothing new changes no file', async () => {
    const runtime = await openRuntime(configFile, silent);
    try {
      const files = snapshotTree(join(dir, 'public'));
      const feedFiles = [...files.keys()].filter((p) => p.endsWith('feed.xml') || p.endsWith('atom.xml'));
      expect(feedFiles).toContain('all/feed.xml');
      expect(feedFiles.some((p) => p.startsWith('country/'))).toBe(true);
      expect(feedFiles.some((p) => p.startsWith('topic/'))).toBe(true);
      expect(feedFiles.some((p) => p.startsWith('region/south-asia/'))).toBe(true);
      const parser = new Parser();
      for (const path of feedFiles) {
        const xml = files.get(path)?.content ?? '';
        expect(() => parseStrictXml(xml), path).not.toThrow();
        const parsed = await parser.parseString(xml);
        expect(parsed.items.length, path).toBeGreaterThan(0);
      }
      for (const [path, file] of files) {
        if (!path.endsWith('feed.json')) continue;
        expect(JSON.parse(file.content).version, path).toBe('https://jsonfeed.org/version/1.1');
      }
      expect(files.get('index.html')?.content).toContain('all/feed.xml');
      expect(() => parseStrictXml(files.get('feeds.opml')?.content ?? '')).not.toThrow();

      // Guids are stable story ids, so a reader never sees a story twice.
      const guids = (await parser.parseString(files.get('all/feed.xml')?.content ?? '')).items.map((i) => i.guid);
      expect(new Set(guids).size).toBe(guids.length);

      // An hour later: every source is due again (the sample server asks for max-age=300), and nothing is new.
      const second = await runPass({ ...runtime.passDeps, clock: () => Date.now() + 3_600_000 });
      expect(second.sourcesOk + second.sourcesNotModified).toBe(samples.feeds.length);
      expect(second.itemsNew).toBe(0);
      expect(second.sectionsWritten).toBe(0);
      const after = snapshotTree(join(dir, 'public'));
      expect([...after.keys()].sort()).toEqual([...files.keys()].sort());
      for (const [path, file] of files) {
        expect(after.get(path)?.content, path).toBe(file.content);
        expect(after.get(path)?.mtimeMs, path).toBe(file.mtimeMs);
      }
    } finally {
      await runtime.close();
    }
  });

  it('`newsmux sources --json` names the failing source and why', async () => {
    const result = await runCli(['sources', '--json', '-c', configFile]);
    expect(result.code).toBe(0);
    const rows = JSON.parse(result.stdout) as { id: string; status: string; error?: string; consecutiveFailures: number; items: number }[];
    const bad = rows.find((r) => r.id === 'always-500');
    expect(bad?.status).toBe('failed');
    expect(bad?.error).toMatch(/500/);
    expect(bad?.consecutiveFailures).toBeGreaterThanOrEqual(1);
    expect(rows.filter((r) => r.status === 'ok' || r.status === 'not-modified').length).toBe(samples.feeds.length);
  });

});

describe('exit codes', () => {
  it.each([
    { name: 'an unknown key exits 1 naming the field', yaml: 'sources: [{ id: a, name: A, url: "https://a.example/feed" }]\nsurprise: 1\n', path: '(root): unknown key "surprise"' },
    { name: 'a bad URL exits 1 naming the source', yaml: 'sources: [{ id: a, name: A, url: "not a url" }]\n', path: 'sources[0].url' },
    { name: 'an unknown country exits 1', yaml: 'sources: [{ id: a, name: A, url: "https://a.example/", country: XX }]\n', path: 'sources[0].country' },
    { name: 'a duplicate source id exits 1', yaml: 'sources: [{ id: a, name: A, url: "https://a.example/" }, { id: a, name: B, url: "https://b.example/" }]\n', path: 'sources[1].id' },
    { name: 'a bad cron line exits 1', yaml: 'schedule: "every minute"\nsources: [{ id: a, name: A, url: "https://a.example/" }]\n', path: 'schedule' },
    { name: 'an unknown topic exits 1', yaml: 'sources: [{ id: a, name: A, url: "https://a.example/" }]\nsections: { custom: [{ id: s, title: S, topics: [gossip] }] }\n', path: 'sections.custom[0].topics[0]' },
  ])('$name', async ({ yaml, path }) => {
    const dir = mkdtempSync(join(tmpdir(), 'newsmux-config-'));
    try {
      const file = join(dir, 'bad.yaml');
      writeFileSync(file, yaml);
      // Every command validates the same way; `check` is tested on each case, `run` on the first.
      for (const command of yaml.includes('surprise') ? ['check', 'run'] : ['check']) {
        const result = await runCli([command, '-c', file]);
        expect(result.code, command).toBe(1);
        expect(result.stderr).toContain(file);
        expect(result.stderr).toContain(path);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('`newsmux check` accepts the default config and prints the next three runs', async () => {
    const result = await runCli(['check', '-c', 'config/default.yaml']);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/next runs: \S+Z, \S+Z, \S+Z/);
    expect(readFileSync('config/default.yaml', 'utf8')).toContain('dawn');
  });
});
