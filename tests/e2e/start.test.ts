import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSampleFeedServer } from '../../src/demo/sample-feed-server.js';
import { openStore } from '../../src/store/index.js';
import { CLI, repoRoot, runCli, writeSampleConfig } from './helpers.js';

interface LogLine {
  msg: string;
  url?: string;
  [key: string]: unknown;
}

describe('newsmux start and the pass lock', () => {
  let dir: string;
  let samples: Awaited<ReturnType<typeof startSampleFeedServer>>;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'newsmux-start-'));
    samples = await startSampleFeedServer();
  });
  afterAll(async () => {
    await samples.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('runs a pass at start-up, serves feeds, /healthz and /metrics, and stops cleanly on SIGTERM', async () => {
    const configFile = writeSampleConfig(dir, samples.feeds, { server: { port: 0, host: '127.0.0.1' } });
    const child = spawn(process.execPath, [CLI, 'start', '-c', configFile], {
      cwd: repoRoot,
      env: { ...process.env, NEWSMUX_LOG_FORMAT: 'json', LOG_LEVEL: 'info' },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const lines: LogLine[] = [];
    const waiters: { test: (l: LogLine) => boolean; resolve: (l: LogLine) => void }[] = [];
    createInterface({ input: child.stdout }).on('line', (text) => {
      const line = JSON.parse(text) as LogLine;
      lines.push(line);
      for (const w of waiters.filter((x) => x.test(line))) w.resolve(line);
    });
    const waitFor = (msg: string) =>
      new Promise<LogLine>((resolve) => {
        const found = lines.find((l) => l.msg === msg);
        if (found) resolve(found);
        else waiters.push({ test: (l) => l.msg === msg, resolve });
      });
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));

    const serving = await waitFor('serving output');
    await waitFor('pass finished');
    const base = serving.url as string;
    const health = await fetch(new URL('healthz', base));
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({ status: 'ok', sourcesOk: samples.feeds.length });
    const feed = await fetch(new URL('all/feed.xml', base));
    expect(feed.status).toBe(200);
    expect(feed.headers.get('content-type')).toContain('application/rss+xml');
    const metrics = await (await fetch(new URL('metrics', base))).text();
    expect(metrics).toMatch(/newsmux_pass_duration_seconds_count\{[^}]*\} 1/);
    expect(metrics).toMatch(/newsmux_fetch_results_total\{outcome="ok"/);

    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(lines.map((l) => l.msg)).toContain('stopped');
  });

  it('`newsmux run` takes over at once a pass lock left by a process of this host that is gone', async () => {
    const configFile = writeSampleConfig(dir, samples.feeds);
    const gone = spawnSync(process.execPath, ['-e', '0']).pid;
    const store = await openStore(join(dir, 'store.db'), { log: pino({ level: 'silent' }) });
    try {
      expect(await store.acquireLock('pass', `${hostname()}:${gone}`, Date.now(), 60_000)).toBe(true);
      const result = await runCli(['run', '-c', configFile]);
      expect(result.code).toBe(0);
      expect(result.stdout).toContain('taking it over');
      expect(result.stdout).toContain('pass finished');
    } finally {
      await store.close();
    }
  });

  it('`newsmux run` exits 0 and says so when another process holds the pass lock', async () => {
    const configFile = writeSampleConfig(dir, samples.feeds);
    const store = await openStore(join(dir, 'store.db'), { log: pino({ level: 'silent' }) });
    try {
      expect(await store.acquireLock('pass', 'another-worker', Date.now(), 60_000)).toBe(true);
      const result = await runCli(['run', '-c', configFile]);
      expect(result.code).toBe(0);
      expect(result.stdout).toContain('pass already running');
      expect(result.stdout).not.toContain('pass finished');
    } finally {
      await store.releaseLock('pass', 'another-worker');
      await store.close();
    }
  });
});
