import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { ParseError } from '../core/index.js';
import type { TaggerOptions } from '../tag/index.js';
import type { FeedBody, ProcessedFeed } from './process-feed.js';

interface Pending {
  readonly input: FeedBody;
  readonly resolve: (result: ProcessedFeed) => void;
  readonly reject: (err: Error) => void;
}

interface WorkerReply {
  readonly id: number;
  readonly result?: ProcessedFeed;
  readonly error?: { name: string; message: string; context?: Record<string, unknown> };
}

/**
 * The default pool size: a thread per core but one, which the main thread keeps busy with the store (its inserts,
 * commits and near-duplicate verdicts) for all of a cold pass. On two cores a second feed thread only took CPU from
 * the main thread: the cold pass benchmark ran no faster with it and peaked 90 MB higher.
 */
export function defaultWorkerCount(): number {
  return Math.max(1, availableParallelism() - 1);
}

/**
 * Feeds handed to a thread at once: the one it works on and one waiting in its message queue. The main thread runs
 * synchronous stretches as long as a thread's feed (an ingest, a commit: tens of milliseconds) during which it cannot
 * hand out the next one; with one in reserve the thread works on (a cold pass over 1,000 feeds: 24–30 → 20–21 s).
 */
const FEEDS_PER_THREAD = 2;

/**
 * Runs `processFeed` in worker threads, so that parsing, sanitizing and tagging of a cold pass use every core while
 * the main thread keeps fetching and storing. Threads start as the work needs them: the first with the first feed,
 * each next one when more feeds wait than the threads can hold, up to `size`. Each builds a gazetteer (a third of a
 * second, tens of MB), which a pass of 304s or a trickle of small feeds never needs more than once; several workers
 * sharing a host would otherwise spend their cores building them.
 */
export class FeedWorkerPool {
  /** Each thread's feeds in hand, by job id. */
  private readonly threads = new Map<Worker, Map<number, Pending>>();
  private readonly queue: Pending[] = [];
  private nextId = 0;
  private closed = false;

  constructor(
    private readonly size: number,
    private readonly taggerOptions: TaggerOptions,
  ) {}

  process(input: FeedBody): Promise<ProcessedFeed> {
    if (this.closed) return Promise.reject(new Error('feed worker pool is closed'));
    return new Promise((resolve, reject) => {
      this.queue.push({ input, resolve, reject });
      const threads = this.threads.size;
      if (threads < this.size && (threads === 0 || this.queue.length > threads * FEEDS_PER_THREAD)) this.spawn();
      else this.dispatch();
    });
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    const workers = [...this.threads.keys()];
    this.threads.clear();
    await Promise.all(workers.map((w) => w.terminate()));
  }

  private spawn(): void {
    const worker = new Worker(new URL('./feed-worker.js', import.meta.url), { workerData: this.taggerOptions });
    worker.on('message', (reply: WorkerReply) => this.settle(worker, reply));
    worker.on('error', (err) => this.fail(worker, err));
    worker.unref();
    this.threads.set(worker, new Map());
    this.dispatch();
  }

  /** Hands waiting feeds to the least busy threads with room. */
  private dispatch(): void {
    while (this.queue.length > 0) {
      let target: [Worker, Map<number, Pending>] | undefined;
      for (const entry of this.threads) if (entry[1].size < FEEDS_PER_THREAD && (!target || entry[1].size < target[1].size)) target = entry;
      if (!target) return;
      const [worker, jobs] = target;
      const job = this.queue.shift() as Pending;
      const id = this.nextId++;
      if (jobs.size === 0) worker.ref();
      jobs.set(id, job);
      worker.postMessage({ id, input: job.input });
    }
  }

  private settle(worker: Worker, reply: WorkerReply): void {
    const jobs = this.threads.get(worker);
    const job = jobs?.get(reply.id);
    if (!jobs || !job) return;
    jobs.delete(reply.id);
    // An idle thread must not keep the process alive.
    if (jobs.size === 0) worker.unref();
    this.dispatch();
    if (reply.result) job.resolve(reply.result);
    else job.reject(revive(reply.error, job.input));
  }

  private fail(worker: Worker, err: Error): void {
    const jobs = this.threads.get(worker);
    this.threads.delete(worker);
    // A thread works through its feeds in the order given: the first was the one it crashed on; the rest wait again.
    const [crashedOn, ...waiting] = jobs?.values() ?? [];
    crashedOn?.reject(new Error(`feed worker crashed while processing ${crashedOn.input.sourceId}`, { cause: err }));
    if (this.closed) {
      for (const job of waiting) job.reject(new Error('feed worker pool is closed'));
      return;
    }
    // A crashed worker (out of memory on a hostile feed, say) is replaced so that the pass goes on.
    this.queue.unshift(...waiting);
    this.spawn();
  }
}

/** Rebuilds a worker's error so `instanceof ParseError` still holds on the main thread. */
function revive(error: WorkerReply['error'], input: FeedBody): Error {
  if (error?.name === 'ParseError') {
    return new ParseError(error.message, { sourceId: input.sourceId, url: input.feedUrl, format: error.context?.format as string | undefined });
  }
  return new Error(error?.message ?? 'feed worker failed');
}
