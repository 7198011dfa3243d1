import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { FetchOutcome } from '../core/index.js';

/** What a finished pass reports to the metrics; a store `PassRecord` (or the CLI's pass summary) fits as it is. */
export interface PassMetricsRecord {
  readonly startedAt: number;
  readonly finishedAt: number;
  readonly status: 'ok' | 'failed';
  readonly itemsNew: number;
  readonly itemsUpdated: number;
  readonly itemsDuplicate: number;
  readonly itemsMerged: number;
  /** Sources that failed in this pass. */
  readonly sourcesFailed: number;
  /** Configured sources whose last attempt failed, due this pass or not; when known, the gauge shows this. */
  readonly sourcesFailing?: number;
  /** Set when the pass did nothing because another process held the pass lock. */
  readonly skipped?: string;
}

/** Prometheus metrics of the worker, on a registry of their own. */
export interface PassMetrics {
  /** The `Content-Type` of `render()`'s text. */
  readonly contentType: string;
  /** Prometheus text exposition of every metric. */
  render(): Promise<string>;
  /** Counts one fetch by outcome and HTTP status (`none` when no response came). */
  recordFetch(outcome: FetchOutcome, status?: number): void;
  /** Records a pass that ran to its end (`status` may still be `failed`), or was skipped. */
  recordPass(pass: PassMetricsRecord): void;
  /** Records a pass that threw before producing a record (store or publish failure). */
  recordFailedPass(finishedAt?: number): void;
}

const ITEM_KINDS = ['new', 'updated', 'duplicate', 'merged'] as const;

/**
 * A registry of our own (never prom-client's global one, so tests and several servers in one process do not
 * collide) with pass duration, items by kind, fetch results, failing sources and the last pass time; plus Node's
 * process metrics unless `defaultMetrics` is false.
 */
export function createMetrics(options: { defaultMetrics?: boolean } = {}): PassMetrics {
  const registry = new Registry();
  if (options.defaultMetrics !== false) collectDefaultMetrics({ register: registry });
  const passDuration = new Histogram({
    name: 'newsmux_pass_duration_seconds',
    help: 'Wall time of a pass.',
    labelNames: ['status'] as const,
    buckets: [0.5, 1, 2, 5, 10, 20, 30, 60, 120, 300, 600],
    registers: [registry],
  });
  const items = new Counter({
    name: 'newsmux_items_total',
    help: 'Items seen by passes, by what became of them: new, updated, duplicate (exact) or merged (near-duplicate).',
    labelNames: ['kind'] as const,
    registers: [registry],
  });
  for (const kind of ITEM_KINDS) items.inc({ kind }, 0); // export every series from the start, so rate() works
  const fetches = new Counter({
    name: 'newsmux_fetch_results_total',
    help: 'Source fetches by outcome and HTTP status ("none" when no response came).',
    labelNames: ['outcome', 'status'] as const,
    registers: [registry],
  });
  const passes = new Counter({
    name: 'newsmux_passes_total',
    help: 'Passes by result: ok, failed, or skipped (another process held the pass lock).',
    labelNames: ['result'] as const,
    registers: [registry],
  });
  for (const result of ['ok', 'failed', 'skipped']) passes.inc({ result }, 0);
  const failing = new Gauge({
    name: 'newsmux_sources_failing',
    help: 'Configured sources whose last fetch failed.',
    registers: [registry],
  });
  const lastPass = new Gauge({
    name: 'newsmux_last_pass_timestamp_seconds',
    help: 'When the last pass finished (Unix time).',
    labelNames: ['status'] as const,
    registers: [registry],
  });
  return {
    contentType: registry.contentType,
    render: () => registry.metrics(),
    recordFetch(outcome, status) {
      fetches.inc({ outcome, status: status === undefined ? 'none' : String(status) });
    },
    recordPass(pass) {
      if (pass.skipped !== undefined) {
        passes.inc({ result: 'skipped' });
        return;
      }
      passes.inc({ result: pass.status });
      passDuration.observe({ status: pass.status }, Math.max(0, pass.finishedAt - pass.startedAt) / 1000);
      items.inc({ kind: 'new' }, pass.itemsNew);
      items.inc({ kind: 'updated' }, pass.itemsUpdated);
      items.inc({ kind: 'duplicate' }, pass.itemsDuplicate);
      items.inc({ kind: 'merged' }, pass.itemsMerged);
      failing.set(pass.sourcesFailing ?? pass.sourcesFailed);
      lastPass.set({ status: pass.status }, pass.finishedAt / 1000);
    },
    recordFailedPass(finishedAt = Date.now()) {
      passes.inc({ result: 'failed' });
      lastPass.set({ status: 'failed' }, finishedAt / 1000);
    },
  };
}
