import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { ParseError, StageError } from '../core/index.js';
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
 * Three in reserve were a few percent faster again in paired runs, but peaked up to 396 MB (one: 375–381 MB), too near
 * the 400 MB target.
 */
const FEEDS_PER_THREAD = 2;

/**
 * A feed a thread is still working on after this long is given up: the thread is stopped and replaced, and the source
 * fails with a message saying so. A 10 MB feed, the largest `fetch.maxBytes` lets in by default, takes about two seconds
 * here; a pathological one (markup a library handles in quadratic time, say) would otherwise hold a thread, and with it
 * the pass, for as long as it likes.
 */
export const FEED_DEADLINE_MS = 60_000;

/**
 * Each thread's heap cap. A cold pass's threads keep well under 100 MB alive; the worst of 33 hostile 10 MB feeds tried
 * here (a megabyte-long attribute, millions of elements) needed 350 MB while parsing. A feed that needs more fails
 * alone, instead of the process growing until the container's memory limit kills the whole pass.
 */
export const FEED_THREAD_HEAP_MB = 512;

export interface FeedWorkerPoolOptions {
  /** @defaultValue FEED_DEADLINE_MS */
  readonly deadlineMs?: number;
  /** @defaultValue FEED_THREAD_HEAP_MB */
  readonly maxHeapMb?: number;
  /** The threads' script. @defaultValue feed-worker.js beside this file */
  readonly script?: URL;
}

interface Thread {
  /** Feeds in hand, by job id, in the order given: the thread works on the first. */
  readonly jobs: Map<number, Pending>;
  /** Set while the thread works on a feed: fires when it has taken too long. */
  deadline?: NodeJS.Timeout;
  /** Why the thread is ending, from its 'error' event; its feeds are failed or requeued at 'exit'. */
  crash?: { readonly why: string; readonly cause: Error };
}

/**
 * Runs `processFeed` in worker threads, so that parsing, sanitizing and tagging of a cold pass use every core while
 * the main thread keeps fetching and storing. Threads start as the work needs them: the first with the first feed,
 * each next one when more feeds wait than the threads can hold, up to `size`. Each builds a gazetteer (a third of a
 * second, tens of MB), which a pass of 304s or a trickle of small feeds never needs more than once; several workers
 * sharing a host would otherwise spend their cores building them. A thread that crashes, exits, runs out of heap or
 * overruns the deadline fails the feed it was on, and only that one: its other feeds go back to the queue and a new
 * thread takes over.
 */
export class FeedWorkerPool {
  private readonly threads = new Map<Worker, Thread>();
  private readonly queue: Pending[] = [];
  private readonly deadlineMs: number;
  private readonly maxHeapMb: number;
  private readonly script: URL;
  private nextId = 0;
  private closed = false;

  constructor(
    private readonly size: number,
    private readonly taggerOptions: TaggerOptions,
    options: FeedWorkerPoolOptions = {},
  ) {
    this.deadlineMs = options.deadlineMs ?? FEED_DEADLINE_MS;
    this.maxHeapMb = options.maxHeapMb ?? FEED_THREAD_HEAP_MB;
    this.script = options.script ?? new URL('./feed-worker.js', import.meta.url);
  }

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
    const workers = [...this.threads];
    this.threads.clear();
    const stranded = [...this.queue.splice(0), ...workers.flatMap(([, thread]) => [...thread.jobs.values()])];
    for (const [, thread] of workers) clearTimeout(thread.deadline);
    for (const job of stranded) job.reject(new Error('feed worker pool is closed'));
    await Promise.all(workers.map(([w]) => w.terminate()));
  }

  private spawn(): void {
    const worker = new Worker(this.script, { workerData: this.taggerOptions, resourceLimits: { maxOldGenerationSizeMb: this.maxHeapMb } });
    worker.on('message', (reply: WorkerReply) => this.settle(worker, reply));
    // An uncaught exception's 'error' can arrive before replies the thread posted just before it; 'exit' comes after
    // them (Node drains the thread's messages first), so the thread's feeds are settled there.
    worker.on('error', (err) => {
      const thread = this.threads.get(worker);
      if (thread) thread.crash ??= { why: `its thread crashed (${err.message})`, cause: err };
    });
    worker.on('exit', (code) => {
      const crash = this.threads.get(worker)?.crash;
      // Without an error first: the thread ended itself (process.exit in a library, say).
      this.fail(worker, crash?.why ?? `its thread exited with code ${code}`, crash?.cause);
    });
    worker.unref();
    this.threads.set(worker, { jobs: new Map() });
    this.dispatch();
  }

  /** Hands waiting feeds to the least busy threads with room. */
  private dispatch(): void {
    while (this.queue.length > 0) {
      let target: [Worker, Thread] | undefined;
      for (const entry of this.threads) {
        if (entry[1].crash || entry[1].jobs.size >= FEEDS_PER_THREAD) continue;
        if (!target || entry[1].jobs.size < target[1].jobs.size) target = entry;
      }
      if (!target) return;
      const [worker, thread] = target;
      const job = this.queue.shift() as Pending;
      const id = this.nextId++;
      thread.jobs.set(id, job);
      if (thread.jobs.size === 1) {
        worker.ref();
        this.startClock(worker, thread);
      }
      worker.postMessage({ id, input: job.input });
    }
  }

  /** The thread's deadline for the feed it works on now, the first of its jobs. */
  private startClock(worker: Worker, thread: Thread): void {
    thread.deadline = setTimeout(() => {
      this.fail(worker, `processing took longer than ${this.deadlineMs / 1000} s; its thread was stopped`);
      void worker.terminate();
    }, this.deadlineMs);
  }

  private settle(worker: Worker, reply: WorkerReply): void {
    const thread = this.threads.get(worker);
    const job = thread?.jobs.get(reply.id);
    if (!thread || !job) return;
    clearTimeout(thread.deadline);
    thread.jobs.delete(reply.id);
    // An idle thread must not keep the process alive.
    if (thread.jobs.size === 0) worker.unref();
    else this.startClock(worker, thread);
    this.dispatch();
    if (reply.result) job.resolve(reply.result);
    else job.reject(revive(reply.error, job.input));
  }

  private fail(worker: Worker, why: string, cause?: Error): void {
    const thread = this.threads.get(worker);
    if (!thread) return;
    this.threads.delete(worker);
    clearTimeout(thread.deadline);
    const [current, ...waiting] = thread.jobs.values();
    if (current) {
      const { sourceId, feedUrl } = current.input;
      current.reject(new StageError('parse', 'feed-thread-failed', `parse: ${sourceId} (${feedUrl}) was given up: ${why}`, { sourceId, url: feedUrl }, { cause }));
    }
    this.queue.unshift(...waiting);
    if (this.queue.length > 0) this.spawn();
  }
}

/** Rebuilds a worker's error so `instanceof ParseError` still holds on the main thread. */
function revive(error: WorkerReply['error'], input: FeedBody): Error {
  if (error?.name === 'ParseError') {
    return new ParseError(error.message, { sourceId: input.sourceId, url: input.feedUrl, format: error.context?.format as string | undefined });
  }
  return new Error(error?.message ?? 'feed worker failed');
}
