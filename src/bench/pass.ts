import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import Parser from 'rss-parser';
import { stringify } from 'yaml';
import type { BenchReport } from './report.js';
import { FeedFarm } from './farm.js';

const run = promisify(execFile);

interface ChildResult {
  wallMs: number;
  cpuMs: number;
  peakRssMb: number;
  summary: { itemsNew: number; itemsUpdated: number; itemsDuplicate: number; itemsMerged: number; sourcesOk: number; sourcesNotModified: number; sectionsWritten: number };
}

/**
 * The pass benchmark of issue 2: a loopback farm of `feeds` × 50 items; a cold pass, a warm pass (everything 304) and an
 * incremental pass (10% of feeds gained 5 items), each in a fresh process; against bare rss-parser `parseString` of the
 * same bytes in one process, measured in the same run.
 */
export async function benchPass(feeds = Number(process.env.BENCH_FEEDS ?? 1000)): Promise<BenchReport> {
  const farm = new FeedFarm({ feeds, itemsPerFeed: 50, syndicatedShare: 0.1 });
  await farm.listen();
  const dir = mkdtempSync(join(tmpdir(), 'newsmux-bench-'));
  try {
    const bare = await bareParse(farm.feedBodies);
    const configFile = join(dir, 'bench.yaml');
    writeFileSync(
      configFile,
      stringify({
        store: join(dir, 'store.db'),
        output: { dir: join(dir, 'public'), baseUrl: 'http://localhost:8080/', retentionDays: 3650 },
        // Every feed lives on one loopback host, so the per-host limit is lifted to the global one.
        fetch: { concurrency: 32, perHost: 32, minIntervalMinutes: 0 },
        sources: Array.from({ length: feeds }, (_, i) => ({ id: `outlet-${i}`, name: `Outlet ${i}`, url: farm.urlOf(i) })),
      }),
    );
    const cold = await passInChild(configFile);
    const warm = await passInChild(configFile);
    const grown = farm.grow(0.1, 5);
    const incremental = await passInChild(configFile);
    const items = feeds * 50;
    const mb = farm.totalBytes / 1e6;
    return {
      name: `pass: ${feeds} feeds × 50 items (${mb.toFixed(0)} MB), ${grown} feeds grow by 5 in the incremental pass`,
      rows: [
        { metric: 'bare rss-parser parseString, same bytes, one process (best of 2)', value: bare, unit: 'ms' },
        { metric: 'cold pass wall time', value: cold.wallMs, unit: 'ms' },
        { metric: 'cold pass / bare parse', value: cold.wallMs / bare, unit: '×', target: '≤ 1.5' , ok: cold.wallMs / bare <= 1.5 },
        { metric: 'cold pass CPU time, all threads', value: cold.cpuMs, unit: 'ms' },
        { metric: 'cold pass throughput', value: items / (cold.wallMs / 1000), unit: 'items/s' },
        { metric: 'cold pass new stories + copies folded', value: cold.summary.itemsNew + cold.summary.itemsDuplicate + cold.summary.itemsMerged, unit: 'items' },
        { metric: 'cold pass peak RSS', value: cold.peakRssMb, unit: 'MB', target: '≤ 400', ok: cold.peakRssMb <= 400 },
        { metric: 'warm pass (all 304) wall time', value: warm.wallMs, unit: 'ms', target: `≤ ${feeds} (1 s per 1,000 feeds)`, ok: warm.wallMs <= feeds },
        { metric: 'warm pass sources not modified', value: warm.summary.sourcesNotModified, unit: 'feeds' },
        { metric: 'incremental pass wall time', value: incremental.wallMs, unit: 'ms' },
        { metric: 'incremental pass new items', value: incremental.summary.itemsNew + incremental.summary.itemsDuplicate + incremental.summary.itemsMerged, unit: 'items' },
        { metric: 'peak RSS over the three passes', value: Math.max(cold.peakRssMb, warm.peakRssMb, incremental.peakRssMb), unit: 'MB', target: '≤ 400' },
      ],
    };
  } finally {
    await farm.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The best of two rounds: one round alone swung between 2.3 and 3.5 s with the JIT and the collector. */
async function bareParse(bodies: readonly string[]): Promise<number> {
  const parser = new Parser();
  let best = Infinity;
  for (let round = 0; round < 2; round++) {
    const started = performance.now();
    for (const body of bodies) await parser.parseString(body);
    best = Math.min(best, performance.now() - started);
  }
  return best;
}

async function passInChild(configFile: string): Promise<ChildResult> {
  const child = new URL('./pass-child.js', import.meta.url);
  const { stdout } = await run(process.execPath, [child.pathname, configFile], { maxBuffer: 1 << 20 });
  return JSON.parse(stdout.trim().split('\n').at(-1) as string) as ChildResult;
}
