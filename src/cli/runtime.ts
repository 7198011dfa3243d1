import { hostname } from 'node:os';
import { loadConfig } from '../config/index.js';
import type { Config } from '../config/index.js';
import type { Logger, Tagger } from '../core/index.js';
import { createNearDuplicateMatcher } from '../dedupe/index.js';
import { createFetcher } from '../fetch/index.js';
import type { Fetcher } from '../fetch/index.js';
import { openStore } from '../store/index.js';
import type { Store } from '../store/index.js';
import { createTagger } from '../tag/index.js';
import type { PassDeps } from './pass.js';
import { defaultWorkerCount, FeedWorkerPool } from './feed-worker-pool.js';
import { processFeed } from './process-feed.js';

/** What `run` and `start` share: config, store, fetcher, tagger — opened once, closed once. */
export interface Runtime {
  readonly config: Config;
  readonly configFile: string;
  readonly store: Store;
  readonly fetcher: Fetcher;
  readonly passDeps: PassDeps;
  close(): Promise<void>;
}

/** Reads the config (exit 1 on error, before anything runs), opens the store and builds the pass's collaborators. */
export async function openRuntime(configPath: string | undefined, log: Logger): Promise<Runtime> {
  const { config, file } = loadConfig({ file: configPath });
  const store = await openStore(config.store, { log: log.child({ stage: 'store' }) });
  const fetcher = createFetcher(config.fetch);
  const pool = startFeedPool(config);
  // The gazetteer takes memory and a second to build: only on the main thread when no worker does the tagging.
  const tagger = pool ? undefined : createTagger(config.tagging);
  const passDeps: PassDeps = {
    config,
    store,
    fetcher,
    log,
    workerId: `${hostname()}:${process.pid}`,
    processFeed: pool ? (input) => pool.process(input) : async (input) => processFeed(input, tagger as Tagger),
    nearDuplicates: config.dedupe.nearDuplicates
      ? createNearDuplicateMatcher({ windowMs: config.dedupe.windowHours * 3_600_000 })
      : undefined,
  };
  let closed = false;
  return {
    config,
    configFile: file,
    store,
    fetcher,
    passDeps,
    async close() {
      if (closed) return;
      closed = true;
      const results = await Promise.allSettled([fetcher.close(), store.close(), pool?.close()]);
      for (const r of results) if (r.status === 'rejected') log.error({ err: r.reason }, 'shutdown step failed');
    },
  };
}

/**
 * The worker pool, unless config asks for none or this code runs from TypeScript sources (tests, tsx), where the
 * compiled worker file does not exist.
 */
function startFeedPool(config: Config): FeedWorkerPool | undefined {
  const size = config.workers ?? defaultWorkerCount();
  if (size === 0 || import.meta.url.endsWith('.ts')) return undefined;
  return new FeedWorkerPool(size, config.tagging);
}
