import { hostname } from 'node:os';
import type { Config } from '../config/index.js';
import { describeError } from '../core/index.js';
import type { ChangedTags, Logger, NearDuplicateMatcher, Source } from '../core/index.js';
import type { Fetcher } from '../fetch/index.js';
import type { PassRecord, Store } from '../store/index.js';
import { DueSources } from './due-sources.js';
import { publishChanges } from './publish-changes.js';
import { refreshSource } from './refresh-source.js';
import { abandonedMarkers, clearUnpublishedChanges, markerLock, markUnpublishedChanges } from './unpublished-marker.js';
import type { FeedProcessor, SourceOutcome } from './refresh-source.js';

export interface PassDeps {
  readonly config: Config;
  readonly store: Store;
  readonly fetcher: Fetcher;
  readonly processFeed: FeedProcessor;
  readonly nearDuplicates?: NearDuplicateMatcher;
  readonly log: Logger;
  /** Names this process in leases and locks. */
  readonly workerId: string;
  readonly clock?: () => number;
  /** Aborting stops starting new sources; sources already under way finish (a safe point). */
  readonly signal?: AbortSignal;
  readonly onProgress?: (done: number, total: number) => void;
  /** Called once per refreshed source (metrics). */
  readonly onSourceDone?: (outcome: SourceOutcome) => void;
}

export interface PassSummary extends PassRecord {
  readonly durationMs: number;
  readonly sourcesDue: number;
  /** Set when another process holds the pass lock and this pass did nothing. */
  readonly skipped?: 'locked';
}

// A pass holds its lock for this long and renews it while it runs; a killed process's lock expires after it.
const PASS_LOCK_TTL_MS = 5 * 60_000;

/**
 * One full pass: claim due sources, refresh each (fetch → process → store), prune, publish what changed, record the
 * pass. The only place that calls several stages. Throws (exit 2) when the store or the publisher fails.
 */
export async function runPass(deps: PassDeps): Promise<PassSummary> {
  const { config, store, log } = deps;
  const clock = deps.clock ?? Date.now;
  const startedAt = clock();
  // With SQLite, one process at a time (a cron job firing while `start` runs, two containers on one volume). With
  // PostgreSQL, workers run side by side: sources are leased, publishing takes its own lock.
  const exclusive = store.kind === 'sqlite';
  if (exclusive && !(await acquirePassLock(store, deps.workerId, startedAt, log))) {
    log.info('pass already running in another process; nothing to do');
    return { ...emptyRecord(startedAt, clock()), durationMs: 0, sourcesDue: 0, skipped: 'locked' };
  }
  // The pass lock (SQLite) and this pass's unpublished-changes marker stay alive while the pass runs.
  const renewal = renewLocks(store, [...(exclusive ? [{ name: 'pass', owner: deps.workerId }] : []), markerLock(deps.workerId)], clock);
  const counts = new PassCounter();
  try {
    await store.syncSources(config.sources, startedAt);
    const abandoned = await abandonedMarkers(store, deps.workerId, startedAt, exclusive);
    const republishAll = abandoned.length > 0;
    if (republishAll) log.warn({ passes: abandoned.map((m) => m.owner) }, 'an earlier pass stored changes it did not publish; every section is rendered again');
    await markUnpublishedChanges(store, deps.workerId, startedAt, PASS_LOCK_TTL_MS);
    const sourcesById = new Map<string, Source>(config.sources.map((s) => [s.id, s]));
    // Only a terminal's progress line needs the total up front; it costs a read of every source's state.
    const dueCount = deps.onProgress ? (await store.sourceStates()).filter((s) => s.nextDueAt <= startedAt).length : 0;
    log.info({ configured: config.sources.length }, 'pass started');
    const runners = config.fetch.concurrency;
    const due = new DueSources(store, { now: startedAt, workerId: deps.workerId, leaseMs: config.fetch.leaseSeconds * 1000 }, runners);

    let done = 0;
    const runner = async () => {
      for (let state = await due.next(); state && !deps.signal?.aborted; state = await due.next()) {
        const source = sourcesById.get(state.sourceId);
        if (!source) continue;
        const outcome = await refreshSource(source, state, { ...deps, now: clock() }, log.child({ source: source.id }));
        counts.add(outcome);
        deps.onSourceDone?.(outcome);
        deps.onProgress?.(++done, Math.max(done, dueCount));
      }
    };
    await Promise.all(Array.from({ length: runners }, runner));

    const pruned = await store.prune(startedAt - config.output.retentionDays * 86_400_000);
    if (pruned.itemsRemoved > 0) log.info({ items: pruned.itemsRemoved, stories: pruned.clustersRemoved }, 'old items pruned');
    counts.touch(pruned.changed);

    const published = await publishChanges({ config, store, log, workerId: deps.workerId, clock, changed: counts.changed, republishAll });
    await clearUnpublishedChanges(store, deps.workerId, abandoned, published);
    const record: PassRecord = { ...counts.record(startedAt, clock()), sectionsWritten: published.sectionsWritten };
    await store.recordPass(record);
    const summary: PassSummary = { ...record, durationMs: record.finishedAt - startedAt, sourcesDue: due.claimed };
    log.info(summaryFields(summary), 'pass finished');
    return summary;
  } catch (err) {
    const record: PassRecord = { ...counts.record(startedAt, clock()), status: 'failed', error: describeError(err) };
    await store.recordPass(record).catch((recordErr: unknown) => log.error({ err: recordErr }, 'could not record the failed pass'));
    throw err;
  } finally {
    renewal.stop();
    if (exclusive) await store.releaseLock('pass', deps.workerId).catch((err: unknown) => log.warn({ err }, 'could not release the pass lock'));
  }
}

function summaryFields(s: PassSummary): Record<string, unknown> {
  return {
    durationMs: s.durationMs,
    sources: { due: s.sourcesDue, ok: s.sourcesOk, notModified: s.sourcesNotModified, failed: s.sourcesFailed },
    items: { new: s.itemsNew, updated: s.itemsUpdated, duplicate: s.itemsDuplicate, merged: s.itemsMerged },
    clustersFormed: s.clustersFormed,
    sectionsWritten: s.sectionsWritten,
  };
}

function emptyRecord(startedAt: number, finishedAt: number): PassRecord {
  return new PassCounter().record(startedAt, finishedAt);
}

/**
 * Takes the pass lock. A lock held by a process of this host that no longer exists (a `newsmux run` killed by cron's
 * timeout or the OOM killer) is taken over at once; on another host, or when the process may be alive, only expiry frees
 * it. Worker ids are `host:pid` (see runtime.ts).
 */
async function acquirePassLock(store: Store, workerId: string, now: number, log: Logger): Promise<boolean> {
  if (await store.acquireLock('pass', workerId, now, PASS_LOCK_TTL_MS)) return true;
  const held = (await store.locks('pass')).find((l) => l.name === 'pass');
  if (!held || !isGoneLocalProcess(held.owner)) return false;
  log.warn({ owner: held.owner }, 'the pass lock was held by a process that is gone; taking it over');
  await store.releaseLock('pass', held.owner);
  return store.acquireLock('pass', workerId, now, PASS_LOCK_TTL_MS);
}

function isGoneLocalProcess(owner: string): boolean {
  const m = /^(.+):(\d+)$/.exec(owner);
  if (!m || m[1] !== hostname()) return false;
  try {
    process.kill(Number(m[2]), 0);
    return false;
  } catch (err) {
    // EPERM: the process exists under another user; only ESRCH says it is gone.
    return (err as NodeJS.ErrnoException).code === 'ESRCH';
  }
}

/** Keeps locks alive while a long pass runs. */
function renewLocks(store: Store, locks: readonly { name: string; owner: string }[], clock: () => number): { stop(): void } {
  const timer = setInterval(() => {
    // A failed renewal is not fatal: a lock only guards against a second process, and expiry is the fallback.
    for (const { name, owner } of locks) void store.acquireLock(name, owner, clock(), PASS_LOCK_TTL_MS).catch(() => undefined);
  }, PASS_LOCK_TTL_MS / 3);
  timer.unref();
  return { stop: () => clearInterval(timer) };
}

/** Adds up source outcomes and the tags they touched. */
class PassCounter {
  private ok = 0;
  private notModified = 0;
  private failed = 0;
  private items = { new: 0, updated: 0, duplicate: 0, merged: 0, clustersFormed: 0 };
  private anyChange = false;
  private readonly countries = new Set<string>();
  private readonly topics = new Set<ChangedTags['topics'][number]>();

  add(outcome: SourceOutcome): void {
    if (outcome.kind === 'not-modified') this.notModified++;
    else if (outcome.kind !== 'ok') this.failed++;
    else {
      this.ok++;
      const r = outcome.ingest;
      this.items.new += r.new;
      this.items.updated += r.updated;
      this.items.duplicate += r.duplicates;
      this.items.merged += r.merged;
      this.items.clustersFormed += r.clustersFormed;
      this.touch(r.changed);
    }
  }

  touch(changed: ChangedTags): void {
    this.anyChange ||= changed.any;
    for (const c of changed.countries) this.countries.add(c);
    for (const t of changed.topics) this.topics.add(t);
  }

  get changed(): ChangedTags {
    return { any: this.anyChange, countries: [...this.countries], topics: [...this.topics] };
  }

  record(startedAt: number, finishedAt: number): PassRecord {
    return {
      startedAt,
      finishedAt,
      status: 'ok',
      sourcesOk: this.ok,
      sourcesNotModified: this.notModified,
      sourcesFailed: this.failed,
      itemsNew: this.items.new,
      itemsUpdated: this.items.updated,
      itemsDuplicate: this.items.duplicate,
      itemsMerged: this.items.merged,
      clustersFormed: this.items.clustersFormed,
      sectionsWritten: 0,
    };
  }
}
