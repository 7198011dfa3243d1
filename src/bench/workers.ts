import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { stringify } from 'yaml';
import { FeedFarm } from './farm.js';
import type { BenchReport } from './report.js';

/** Where the worker benchmark and the several-workers test find PostgreSQL (trust auth, database `test`). */
export const PG_URL = process.env.NEWSMUX_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

export interface LatencyFarmOptions {
  readonly feeds: number;
  readonly itemsPerFeed: number;
  readonly syndicatedShare?: number;
  /** Milliseconds each response waits before it is sent. @defaultValue 0 */
  readonly latencyMs?: number;
  /**
   * Feeds are spread over this many loopback ports; the fetcher limits requests per `host:port`, so each port stands
   * for one outlet's host. @defaultValue 1
   */
  readonly hosts?: number;
  readonly seed?: number;
}

/**
 * The bodies of a {@link FeedFarm}, served on several loopback ports with a fixed latency, counting every request per
 * feed and per User-Agent (each worker gets its own `fetch.userAgent`, so the farm can tell who fetched what).
 */
export class LatencyFarm {
  private readonly farm: FeedFarm;
  private readonly servers: Server[] = [];
  private readonly ports: number[] = [];
  private readonly listeners = new Set<(feed: number, agent: string) => void>();
  /** Requests per feed index. */
  readonly counts: number[];
  /** User-Agents of the requests per feed index, in arrival order. */
  readonly agentsByFeed: string[][];
  /** Requests per User-Agent. */
  readonly byAgent = new Map<string, number>();
  requests = 0;

  constructor(private readonly options: LatencyFarmOptions) {
    this.farm = new FeedFarm({ feeds: options.feeds, itemsPerFeed: options.itemsPerFeed, syndicatedShare: options.syndicatedShare ?? 0.1, seed: options.seed });
    this.counts = new Array<number>(options.feeds).fill(0);
    this.agentsByFeed = Array.from({ length: options.feeds }, () => []);
  }

  async listen(): Promise<void> {
    const handler = (req: IncomingMessage, res: ServerResponse) => this.handle(req, res);
    for (let h = 0; h < (this.options.hosts ?? 1); h++) {
      const server = createServer(handler);
      server.keepAliveTimeout = 30_000;
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      this.servers.push(server);
      this.ports.push((server.address() as AddressInfo).port);
    }
  }

  urlOf(feed: number): string {
    return `http://127.0.0.1:${this.ports[feed % this.ports.length]}/feed/${feed}.xml`;
  }

  /** Calls `fn` on every feed request, as it arrives (before the latency). Returns an unsubscribe function. */
  onRequest(fn: (feed: number, agent: string) => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  resetCounts(): void {
    this.counts.fill(0);
    for (const a of this.agentsByFeed) a.length = 0;
    this.byAgent.clear();
    this.requests = 0;
  }

  async close(): Promise<void> {
    await Promise.all(
      this.servers.map((s) => {
        s.closeAllConnections();
        return new Promise<void>((resolve) => s.close(() => resolve()));
      }),
    );
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    const match = /^\/feed\/(\d+)\.xml$/.exec(req.url ?? '');
    const feed = match ? Number(match[1]) : -1;
    const body = this.farm.feedBodies[feed];
    if (body === undefined) {
      res.writeHead(404).end();
      return;
    }
    const agent = req.headers['user-agent'] ?? '';
    this.requests++;
    this.counts[feed] = (this.counts[feed] ?? 0) + 1;
    this.agentsByFeed[feed]?.push(agent);
    this.byAgent.set(agent, (this.byAgent.get(agent) ?? 0) + 1);
    for (const fn of this.listeners) fn(feed, agent);
    const send = () => {
      if (!res.destroyed) res.writeHead(200, { 'Content-Type': 'application/rss+xml; charset=utf-8' }).end(body);
    };
    const latency = this.options.latencyMs ?? 0;
    if (latency > 0) setTimeout(send, latency);
    else send();
  }
}

/** A PostgreSQL store spec naming a new schema of the test database (the store creates it on first open). */
export function freshSchemaSpec(label: string): { schema: string; spec: string } {
  const schema = `nmx_${label}_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
  const url = new URL(PG_URL);
  url.searchParams.set('schema', schema);
  return { schema, spec: url.toString() };
}

/** Runs `fn` with a client whose search_path is `schema` (or the default). */
export async function withPg<T>(schema: string | undefined, fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: PG_URL, connectionTimeoutMillis: 3000, ...(schema ? { options: `-c search_path=${schema}` } : {}) });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end().catch(() => undefined);
  }
}

export async function dropSchemas(schemas: readonly string[]): Promise<void> {
  if (schemas.length === 0) return;
  await withPg(undefined, async (c) => {
    for (const s of schemas) await c.query(`DROP SCHEMA IF EXISTS ${s} CASCADE`);
  });
}

export interface WorkerConfigOptions {
  readonly store: string;
  readonly outputDir: string;
  readonly userAgent: string;
  readonly leaseSeconds?: number;
  /** Extra `fetch` settings. */
  readonly fetch?: Record<string, unknown>;
}

/** Writes a worker's YAML config over every feed of `farm` and returns its path. */
export function writeWorkerConfig(file: string, farm: LatencyFarm, feeds: number, options: WorkerConfigOptions): string {
  writeFileSync(
    file,
    stringify({
      store: options.store,
      output: { dir: options.outputDir, baseUrl: 'https://news.example/', retentionDays: 3650 },
      fetch: { userAgent: options.userAgent, ...(options.leaseSeconds ? { leaseSeconds: options.leaseSeconds } : {}), ...options.fetch },
      sources: Array.from({ length: feeds }, (_, i) => ({ id: `outlet-${i}`, name: `Outlet ${i}`, url: farm.urlOf(i) })),
    }),
  );
  return file;
}

export interface WorkerRun {
  readonly child: ChildProcess;
  /** Resolves when the process ends, with its exit code (or the signal that killed it) and output. */
  readonly done: Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string; wallMs: number }>;
}

const repoRoot = fileURLToPath(new URL('../..', import.meta.url));

/** Starts `newsmux run -c <config>` as its own process, with the compiled CLI (tests run after `npm run build`). */
export function startWorker(configFile: string): WorkerRun {
  const main = join(repoRoot, 'dist/cli/main.js');
  const env: NodeJS.ProcessEnv = { ...process.env, LOG_LEVEL: 'info', NEWSMUX_LOG_FORMAT: 'json' };
  // The config names the store and output; container overrides from the caller's environment would redirect them.
  delete env.NEWSMUX_STORE;
  delete env.DATABASE_URL;
  delete env.NEWSMUX_OUTPUT_DIR;
  const started = performance.now();
  const child = spawn(process.execPath, [main, 'run', '-c', configFile], {
    cwd: repoRoot,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout?.setEncoding('utf8').on('data', (d: string) => (stdout += d));
  child.stderr?.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  const done = new Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string; wallMs: number }>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr, wallMs: performance.now() - started }));
  });
  return { child, done };
}

/** The `pass finished` summary line of a worker's JSON log, if it got that far. */
export function passSummary(stdout: string): { sources: { due: number; ok: number; failed: number }; items: { new: number } } | undefined {
  for (const line of stdout.split('\n')) {
    if (!line.includes('"pass finished"')) continue;
    return JSON.parse(line) as { sources: { due: number; ok: number; failed: number }; items: { new: number } };
  }
  return undefined;
}

interface Round {
  readonly wallMs: number;
  readonly fetchedOnce: boolean;
  readonly stored: number;
  /** Feeds fetched by each worker, most first. */
  readonly shares: number[];
  readonly error?: string;
}

/** Items per farm feed: small, so the benchmark measures fetching and leasing rather than parsing and storing. */
const ITEMS = Number(process.env.BENCH_WORKER_ITEMS ?? 5);

/**
 * Issue 6's several-workers benchmark: one round over a farm of `feeds` small feeds (5 items) with 50 ms of latency per
 * response, spread over 100 loopback hosts, fetched with 2 requests in flight per worker by 1
 * and then by 3 worker processes sharing a fresh PostgreSQL schema. Wall time is from spawning the processes to the last
 * one's exit; the ratio of the two throughputs is the figure (target ≥ 2.5).
 */
export async function benchWorkers(feeds = Number(process.env.BENCH_WORKER_FEEDS ?? 3000)): Promise<BenchReport> {
  // Two fetches in flight per worker, so that one worker is bound by latency (as a real farm of slow sites is), not by
  // this machine's two cores, which three workers, their feed threads and PostgreSQL share (with 4, one worker already
  // used most of a core and the ratio measured the cores, 1.5).
  const concurrency = Number(process.env.BENCH_WORKER_FETCH_CONCURRENCY ?? 2);
  const farm = new LatencyFarm({ feeds, itemsPerFeed: ITEMS, latencyMs: 50, hosts: 100 });
  await farm.listen();
  const dir = mkdtempSync(join(tmpdir(), 'newsmux-bench-workers-'));
  const schemas: string[] = [];
  try {
    const round = async (workers: number): Promise<Round> => {
      farm.resetCounts();
      const { schema, spec } = freshSchemaSpec(`bench_w${workers}`);
      schemas.push(schema);
      const outputDir = join(dir, `public-${workers}`);
      mkdirSync(outputDir, { recursive: true });
      const configs = Array.from({ length: workers }, (_, w) =>
        writeWorkerConfig(join(dir, `w${workers}-${w}.yaml`), farm, feeds, { store: spec, outputDir, userAgent: `bench-worker-${workers}-${w}`, fetch: { concurrency } }),
      );
      const started = performance.now();
      const results = await Promise.all(configs.map((c) => startWorker(c).done));
      const wallMs = performance.now() - started;
      const failed = results.find((r) => r.code !== 0);
      const error = failed
        ? `a worker exited ${failed.code ?? failed.signal}: ${(failed.stdout.split('\n').find((l) => l.includes('"level":50')) ?? failed.stderr).slice(0, 600)}`
        : undefined;
      const fetchedOnce = farm.counts.every((n) => n === 1);
      const stored = await withPg(schema, async (c) => Number((await c.query<{ n: string }>('SELECT count(*) AS n FROM items')).rows[0]?.n ?? 0));
      const shares = [...farm.byAgent.values()].sort((a, b) => b - a);
      process.stdout.write(
        `workers: ${workers} worker(s): ${(wallMs / 1000).toFixed(1)} s, feeds fetched per worker ${shares.join(' / ')}, ${stored} items stored${error ? `; FAILED: ${error}` : ''}\n`,
      );
      return { wallMs, fetchedOnce, stored, shares, error };
    };
    const one = await round(1);
    const three = await round(3);
    const ok = !one.error && !three.error;
    const ratio = ok ? one.wallMs / three.wallMs : Number.NaN;
    return {
      name: `workers (${feeds.toLocaleString('en-US')} feeds × ${ITEMS} items, 50 ms latency, ${concurrency} fetch(es) in flight per worker, PostgreSQL)`,
      rows: [
        { metric: '1 worker: one round', value: one.wallMs / 1000, unit: one.error ? 's (FAILED)' : 's', ok: !one.error },
        { metric: '1 worker: throughput', value: feeds / (one.wallMs / 1000), unit: 'feeds/s' },
        { metric: '3 workers: one round', value: three.wallMs / 1000, unit: three.error ? 's (FAILED)' : 's', ok: !three.error },
        { metric: '3 workers: throughput', value: feeds / (three.wallMs / 1000), unit: 'feeds/s' },
        { metric: '3 workers: feeds fetched by the busiest', value: three.shares[0] ?? 0, unit: `feeds (of ${feeds})` },
        { metric: 'every feed fetched once per round', value: Number(one.fetchedOnce && three.fetchedOnce), unit: '', target: '1', ok: one.fetchedOnce && three.fetchedOnce },
        { metric: 'items stored (3 workers)', value: three.stored, unit: `items (1 worker: ${one.stored})`, ok: one.stored === three.stored },
        { metric: 'throughput ratio 3 / 1 workers', value: ratio, unit: '×', target: '≥ 2.5', ok: ratio >= 2.5 },
      ],
    };
  } finally {
    await farm.close();
    await dropSchemas(schemas).catch(() => undefined);
    rmSync(dir, { recursive: true, force: true });
  }
}
