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
 * Runs `processFeed` in worker threads, one feed at a time per worker, so that parsing, sanitizing and tagging of a
 * cold pass use every core while the main thread keeps fetching and storing. Threads start as the work needs them:
 * the first with the first feed, each next one when more feeds wait than there are threads, up to `size`. Each builds
 * a gazetteer (a third of a second, tens of MB), which a pass of 304s or a trickle of small feeds never needs more than
 * once; several workers sharing a host would otherwise spend their cores building them.
 */
export class FeedWorkerPool {
  private readonly idle: Worker[] = [];
  private readonly busy = new Map<Worker, { id: number; job: Pending }>();
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
      const threads = this.idle.length + this.busy.size;
      if (threads < this.size && (threads === 0 || this.queue.length > threads)) this.spawn();
      else this.dispatch();
    });
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    const workers = [...this.idle, ...this.busy.keys()];
    this.idle.length = 0;
    await Promise.all(workers.map((w) => w.terminate()));
  }

  private spawn(): void {
    const worker = new Worker(new URL('./feed-worker.js', import.meta.url), { workerData: this.taggerOptions });
    worker.on('message', (reply: WorkerReply) => this.settle(worker, reply));
    worker.on('error', (err) => this.fail(worker, err));
    worker.unref();
    this.idle.push(worker);
    this.dispatch();
  }

  private dispatch(): void {
    while (this.idle.length > 0 && this.queue.length > 0) {
      const worker = this.idle.pop() as Worker;
      const job = this.queue.shift() as Pending;
      const id = this.nextId++;
      this.busy.set(worker, { id, job });
      worker.ref();
      worker.postMessage({ id, input: job.input });
    }
  }

  private settle(worker: Worker, reply: WorkerReply): void {
    const entry = this.busy.get(worker);
    if (!entry || entry.id !== reply.id) return;
    this.release(worker);
    if (reply.result) entry.job.resolve(reply.result);
    else entry.job.reject(revive(reply.error, entry.job.input));
  }

  private fail(worker: Worker, err: Error): void {
    const entry = this.busy.get(worker);
    this.busy.delete(worker);
    entry?.job.reject(new Error(`feed worker crashed while processing ${entry.job.input.sourceId}`, { cause: err }));
    // A crashed worker (out of memory on a hostile feed, say) is replaced so that the pass goes on.
    if (!this.closed) this.spawn();
  }

  private release(worker: Worker): void {
    this.busy.delete(worker);
    worker.unref();
    if (!this.closed) this.idle.push(worker);
    this.dispatch();
  }
}

/** Rebuilds a worker's error so `instanceof ParseError` still holds on the main thread. */
function revive(error: WorkerReply['error'], input: FeedBody): Error {
  if (error?.name === 'ParseError') {
    return new ParseError(error.message, { sourceId: input.sourceId, url: input.feedUrl, format: error.context?.format as string | undefined });
  }
  return new Error(error?.message ?? 'feed worker failed');
}
