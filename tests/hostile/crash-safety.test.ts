/**
 * Issue 7, crash safety: `newsmux run` is SIGKILLed at 20 seeded random moments across passes over a loopback farm
 * (15 feeds × 20 items, growing between rounds: fewer than itemsPerFeed stories in all, so every story stays in
 * all/feed.json unless it is lost). After each kill a pass runs to completion (exit 0, not skipped), every published
 * file parses, every story published before the kill is still published, and every item the farm's feeds carry is
 * published: as a story, or inside the story it joined.
 *
 * The next process takes over a killed one's pass lock at once (its pid is gone), but the sources the killed pass had
 * claimed stay leased until the lease ends. So that the test does not wait for leases, each child process runs with its
 * clock shifted 6 minutes further (tests/hostile/clock-offset.mjs, a constant Date.now offset).
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { FeedFarm, seededRandom } from '../../src/bench/farm.js';
import { Database } from '../../src/store/sqlite/driver.js';
import { repoRoot } from '../e2e/helpers.js';
import { assertPublishedFilesValid, publishedFiles } from './support.js';

// The issue's 20 kills take about 40 s here (a pass over the farm, about a second).
const KILLS = Number(process.env.NEWSMUX_CRASH_KILLS ?? 20);
const STEP_MS = 6 * 60_000;
// Every story of the farm fits in all/feed.json through 20 rounds of growth, so a lost story would show there.
const ITEMS_PER_FEED = 1000;
const FEEDS = 15;

interface Child {
  kill(): void;
  done: Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }>;
}

function startRun(configFile: string, offsetMs: number): Child {
  const child = spawn(
    process.execPath,
    ['--import', join(repoRoot, 'tests/hostile/clock-offset.mjs'), join(repoRoot, 'dist/cli/main.js'), 'run', '-c', configFile],
    { cwd: repoRoot, env: { ...process.env, LOG_LEVEL: 'info', NEWSMUX_LOG_FORMAT: 'json', NEWSMUX_TEST_CLOCK_OFFSET_MS: String(offsetMs) } },
  );
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  return {
    kill: () => child.kill('SIGKILL'),
    done: new Promise((resolve) => child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }))),
  };
}

/** Links of the farm's own (not syndicated) items as its feeds read now: each must be published (see unpublishedLinks). */
function originalLinks(farm: FeedFarm): string[] {
  return farm.feedBodies.flatMap((body) =>
    [...body.matchAll(/<item><title>([^<]*)<\/title><link>([^<]*)<\/link>/g)].filter((m) => !/ - Outlet \d+$/.test(m[1] as string)).map((m) => m[2] as string),
  );
}

/**
 * The links among `links` whose item is not published: neither a published story's link nor stored in a published
 * story (a copy folded in, or the same headline from the same outlet within 48 h, which is the same item).
 */
function unpublishedLinks(outputDir: string, storeFile: string, links: readonly string[]): string[] {
  const feed = JSON.parse(readFileSync(join(outputDir, 'all/feed.json'), 'utf8')) as { items: { id: string; url?: string }[] };
  const storyLinks = new Set(feed.items.map((i) => i.url));
  const stories = new Set(feed.items.map((i) => i.id));
  const db = new Database(storeFile, { readonly: true });
  try {
    const storyOf = db.prepare('SELECT cluster_id FROM items WHERE url = ?').pluck();
    return links.filter((l) => !storyLinks.has(l) && !stories.has(storyOf.get(l) as string));
  } finally {
    db.close();
  }
}

/** Story id → publication time and title, from all/feed.json. */
function publishedStories(outputDir: string): Map<string, { at: number; title: string }> {
  const file = join(outputDir, 'all/feed.json');
  if (!existsSync(file)) return new Map();
  const feed = JSON.parse(readFileSync(file, 'utf8')) as { items: { id: string; title: string; date_published: string }[] };
  return new Map(feed.items.map((i) => [i.id, { at: Date.parse(i.date_published), title: i.title }]));
}

describe('SIGKILL at random moments across passes (issue 7)', () => {
  let dir: string;
  let farm: FeedFarm;
  let configFile: string;
  const outputDir = () => join(dir, 'public');

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'newsmux-crash-'));
    farm = new FeedFarm({ feeds: FEEDS, itemsPerFeed: 20, syndicatedShare: 0.2, seed: 7 });
    await farm.listen();
    configFile = join(dir, 'config.yaml');
    writeFileSync(
      configFile,
      stringify({
        store: join(dir, 'store.db'),
        output: { dir: outputDir(), baseUrl: 'https://news.example/', retentionDays: 3650, itemsPerFeed: ITEMS_PER_FEED },
        // leaseSeconds at its minimum: sources claimed by a killed process are free again by the next (shifted) pass.
        fetch: { minIntervalMinutes: 0, leaseSeconds: 5, concurrency: 32, perHost: 32 },
        sources: Array.from({ length: FEEDS }, (_, f) => ({ id: `outlet-${f}`, name: `Outlet ${f}`, url: farm.urlOf(f) })),
      }),
    );
  });

  afterAll(async () => {
    await farm?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('every pass after a kill completes, publishes valid files and loses no story', async () => {
    const random = seededRandom(20261124);
    let offset = 0;
    // A first full pass, timed, so kills can land anywhere inside a pass.
    const t0 = Date.now();
    const first = await startRun(configFile, offset).done;
    const fullPassMs = Date.now() - t0;
    expect(first.code, first.stderr).toBe(0);
    assertPublishedFilesValid(publishedFiles(outputDir()));
    let stories = publishedStories(outputDir());
    expect(stories.size).toBeGreaterThan(FEEDS * 10);

    let lastPassMs = fullPassMs;
    const report: string[] = [];
    for (let k = 0; k < KILLS; k++) {
      // Every round the farm grows, so killed passes have items to ingest and sections to publish. FeedFarm.grow names
      // new items after the feed's length, which it has just cut back to itemsPerFeed, so each call reuses the same
      // guids: growing by k+1 gives one truly new item per grown feed and re-titles (updates) the k before it.
      farm.grow(0.2, k + 1);
      offset += STEP_MS;
      // Anywhere from start-up to a little past the length of the last pass that ran to completion.
      const delay = Math.floor(300 + random() * lastPassMs * 1.2);
      const victim = startRun(configFile, offset);
      const timer = setTimeout(() => victim.kill(), delay);
      const killed = await victim.done;
      clearTimeout(timer);
      // What was published at the moment of the kill (the killed pass may have published some of it).
      const atKill = publishedFiles(outputDir());
      assertPublishedFilesValid(atKill);
      const before = new Map([...stories, ...publishedStories(outputDir())]);

      offset += STEP_MS;
      const started = Date.now();
      const next = await startRun(configFile, offset).done;
      lastPassMs = Date.now() - started;
      const lines = next.stdout.split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as { msg: string });
      expect(next.code, `after kill ${k}: ${next.stderr}`).toBe(0);
      expect(lines.some((l) => l.msg === 'pass finished'), `after kill ${k}: the pass ran (not skipped for the lock)`).toBe(true);
      const files = publishedFiles(outputDir());
      assertPublishedFilesValid(files);
      stories = publishedStories(outputDir());
      expect(stories.size).toBeLessThan(ITEMS_PER_FEED);
      const titlesNow = new Map([...stories].map(([id, s]) => [s.title, id]));
      const lost = [...before]
        .filter(([id]) => !stories.has(id))
        .map(([id, s]) => `${id} ${new Date(s.at).toISOString()} "${s.title}" now ${titlesNow.get(s.title) ?? 'absent'}`);
      expect(lost, `stories lost after kill ${k} (killed after ${delay} ms, ${killed.signal ?? killed.code})`).toEqual([]);
      // Items a killed pass stored but did not publish are published by the next pass (the store keeps an
      // "unpublished changes" marker until a publish succeeds).
      const unpublished = unpublishedLinks(outputDir(), join(dir, 'store.db'), [...new Set(originalLinks(farm))]);
      expect(unpublished, `farm items not published after kill ${k} (killed after ${delay} ms)`).toEqual([]);
      report.push(`${delay}ms:${killed.signal ?? `exit ${killed.code}`}`);
      const summary = lines.find((l) => l.msg === 'pass finished') as unknown as { items: { new: number; updated: number } };
      if (process.env.CRASH_VERBOSE) console.info(`kill ${k}: delay ${delay} ms (${killed.signal ?? killed.code}), recovery pass ${lastPassMs} ms, ${JSON.stringify(summary.items)}, ${stories.size} stories`);
    }
    console.info(`crash-safety: full pass ${fullPassMs} ms; kills: ${report.join(', ')}`);
    // At least some kills must have landed inside a pass (not after it finished on its own).
    expect(report.filter((r) => r.includes('SIGKILL')).length).toBeGreaterThanOrEqual(KILLS / 2);
  }, 60_000 + KILLS * 30_000);
});
