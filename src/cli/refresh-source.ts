import type { Config } from '../config/index.js';
import { describeError, ParseError } from '../core/index.js';
import type { Logger, NearDuplicateMatcher, Source, SourceState, SourceStateUpdate } from '../core/index.js';
import { planNextCheck } from '../fetch/index.js';
import type { Fetcher, FetchResult } from '../fetch/index.js';
import { discoverFeedLinks } from '../parse/index.js';
import type { IngestResult, Store } from '../store/index.js';
import type { FeedBody, ProcessedFeed } from './process-feed.js';

/** Runs the CPU part of a source's work, inline or in a worker thread. */
export type FeedProcessor = (input: FeedBody) => Promise<ProcessedFeed>;

export interface RefreshContext {
  readonly config: Config;
  readonly store: Store;
  readonly fetcher: Fetcher;
  readonly processFeed: FeedProcessor;
  readonly nearDuplicates?: NearDuplicateMatcher;
  readonly now: number;
}

export type SourceOutcome =
  | { readonly kind: 'ok'; readonly status: number; readonly ingest: IngestResult }
  | { readonly kind: 'not-modified' }
  | { readonly kind: 'failed' | 'gone'; readonly status?: number; readonly error: string };

/**
 * One source's turn in a pass: fetch, process, store, and record its health. A source's own failure is returned as
 * data (and recorded); only store errors escape, because they end the pass.
 */
export async function refreshSource(source: Source, state: SourceState, ctx: RefreshContext, log: Logger): Promise<SourceOutcome> {
  const { config, store, now } = ctx;
  const schedule = (outcome: SourceStateUpdate['lastOutcome'], failures: number, hints: { retryAfterMs?: number; maxAgeMs?: number; ttlMinutes?: number } = {}) =>
    planNextCheck({
      now,
      outcome,
      consecutiveFailures: failures,
      minIntervalMs: config.fetch.minIntervalMinutes * 60_000,
      maxBackoffMs: config.fetch.maxBackoffHours * 3_600_000,
      ...hints,
    });

  let fetched = await ctx.fetcher.fetchSource(
    { sourceId: source.id, url: state.url, configuredUrl: source.url, etag: state.etag, lastModified: state.lastModified },
    log,
  );
  const movedTo = fetched.kind !== 'failed' ? fetched.permanentRedirectTo : undefined;
  if (movedTo) log.info({ from: state.url, to: movedTo }, 'source moved permanently; stored URL updated');

  if (fetched.kind === 'failed') {
    const failures = state.consecutiveFailures + 1;
    const outcome = fetched.gone ? 'gone' : 'failed';
    log.warn({ err: fetched.error, status: fetched.status, failures }, 'fetch failed');
    await store.recordSourceState(source.id, {
      lastOutcome: outcome,
      lastStatus: fetched.status,
      lastError: fetched.error.message,
      lastAttemptAt: now,
      consecutiveFailures: failures,
      nextDueAt: schedule(outcome, failures, { retryAfterMs: fetched.retryAfterMs }),
    });
    return { kind: outcome, status: fetched.status, error: fetched.error.message };
  }

  const validators = { etag: fetched.etag ?? state.etag ?? null, lastModified: fetched.lastModified ?? state.lastModified ?? null };
  if (fetched.kind === 'not-modified') {
    log.debug('not modified');
    await store.recordSourceState(source.id, {
      ...validators,
      url: movedTo,
      lastOutcome: 'not-modified',
      lastStatus: 304,
      lastError: null,
      lastAttemptAt: now,
      lastSuccessAt: now,
      consecutiveFailures: 0,
      nextDueAt: schedule('not-modified', 0, { maxAgeMs: fetched.maxAgeMs }),
    });
    return { kind: 'not-modified' };
  }

  let processed: ProcessedFeed;
  try {
    const found = await processWithDiscovery(fetched, source, state, ctx, log);
    processed = found.processed;
    fetched = found.fetched;
  } catch (err) {
    const failures = state.consecutiveFailures + 1;
    const message = describeError(err);
    log.warn({ err, failures }, 'source is not a readable feed');
    await store.recordSourceState(source.id, {
      url: movedTo,
      lastOutcome: 'failed',
      lastStatus: fetched.status,
      lastError: message,
      lastAttemptAt: now,
      consecutiveFailures: failures,
      nextDueAt: schedule('failed', failures),
    });
    return { kind: 'failed', status: fetched.status, error: message };
  }
  for (const warning of processed.warnings) log.warn({ warning }, 'feed problem recovered');
  // Items already past retention would be stored and pruned again on every pass, marking sections dirty each time.
  const keepAfter = now - config.output.retentionDays * 86_400_000;
  const items = processed.items.filter((item) => item.publishedAt >= keepAfter);

  const ingest = await store.ingest({
    sourceId: source.id,
    items,
    now,
    titleWindowMs: config.dedupe.titleWindowHours * 3_600_000,
    nearDuplicates: ctx.nearDuplicates,
    state: {
      ...validators,
      url: movedTo,
      lastOutcome: 'ok',
      lastStatus: fetched.status,
      lastError: null,
      lastAttemptAt: now,
      lastSuccessAt: now,
      consecutiveFailures: 0,
      nextDueAt: schedule('ok', 0, { maxAgeMs: fetched.maxAgeMs, ttlMinutes: processed.ttlMinutes }),
      itemKeyMode: processed.itemKeyMode,
      feedTitle: processed.feedTitle,
    },
  });
  log.info({ items: items.length, new: ingest.new, updated: ingest.updated, duplicates: ingest.duplicates, merged: ingest.merged }, 'source refreshed');
  return { kind: 'ok', status: fetched.status, ingest };
}

type OkFetch = Extract<FetchResult, { kind: 'ok' }>;

/**
 * Processes the body; when it is an HTML page that links a feed (`<link rel="alternate">`), fetches and processes that
 * feed instead and says so, because outlets often move their feed and leave the home page's link current.
 */
async function processWithDiscovery(
  fetched: OkFetch,
  source: Source,
  state: SourceState,
  ctx: RefreshContext,
  log: Logger,
): Promise<{ processed: ProcessedFeed; fetched: OkFetch }> {
  const input = (result: OkFetch): FeedBody => ({
    sourceId: source.id,
    sourceCountry: source.country,
    language: source.language,
    feedUrl: result.url,
    body: result.body,
    contentType: result.contentType,
    previousKeyMode: state.itemKeyMode,
    now: ctx.now,
    nearDuplicates: ctx.config.dedupe.nearDuplicates,
    maxItems: ctx.config.fetch.maxItemsPerFeed,
  });
  try {
    return { processed: await ctx.processFeed(input(fetched)), fetched };
  } catch (err) {
    if (!(err instanceof ParseError) || !looksLikeHtml(fetched)) throw err;
    const [feedUrl] = discoverFeedLinks(fetched.body.toString('utf8'), fetched.url);
    if (!feedUrl) throw err;
    log.warn({ page: fetched.url, feedUrl }, 'source URL is an HTML page; reading the feed it links instead');
    const linked = await ctx.fetcher.fetchSource({ sourceId: source.id, url: feedUrl, configuredUrl: source.url }, log);
    if (linked.kind !== 'ok') throw err;
    return { processed: await ctx.processFeed(input(linked)), fetched: linked };
  }
}

function looksLikeHtml(result: OkFetch): boolean {
  if (result.contentType?.includes('html')) return true;
  const head = result.body.subarray(0, 1024).toString('latin1').toLowerCase();
  return head.includes('<html') || head.includes('<!doctype html');
}
