import type { StoreError } from '../../core/index.js';
import type { Database } from './driver.js';
import { wrap } from './store-error.js';

/** An open group commits once it is this old... */
export const GROUP_COMMIT_MS = 200;
/** ...or holds this many writes, whichever comes first. */
export const GROUP_COMMIT_WRITES = 64;

interface QueuedWrite {
  readonly op: string;
  readonly fn: () => unknown;
  readonly resolve: (value: unknown) => void;
  readonly reject: (err: StoreError) => void;
}

/**
 * Write-behind group commit on one connection: per-source writes run as they arrive, each in a savepoint of one open
 * transaction that commits every `GROUP_COMMIT_MS` or `GROUP_COMMIT_WRITES` writes. A commit writes every page the
 * transaction dirtied to the WAL, and an ingest dirties a leaf of each of a dozen indexes keyed by random ids: in a cold
 * pass over 1,000 feeds, committing each source alone spent 6–8 s of the main thread's time in COMMIT.
 *
 * Each source's batch still lands whole or not at all (a failed one rolls back to its savepoint and only its promise
 * rejects). A write's promise settles when its savepoint is released, before the commit; a failed commit rolls the group
 * back and fails this store's next operation, so a pass that lost its writes ends as a store failure. Any operation of
 * this process outside a group write first commits every open group, so that reads see what was written and a second
 * connection in this process (tests stand in for two processes that way) never waits on a lock that this thread holds.
 */
export class GroupCommit {
  private static readonly openGroups = new Set<GroupCommit>();

  private readonly queue: QueuedWrite[] = [];
  private drainTask: NodeJS.Immediate | undefined;
  private commitTimer: NodeJS.Timeout | undefined;
  private writesInGroup = 0;
  private failure: StoreError | undefined;

  constructor(
    private readonly connection: (op: string) => Database,
    /** Called when writes were undone: whatever this store keeps in memory about them is stale. */
    private readonly onUndo: () => void,
  ) {}

  /** Commits every open group of this process but `except` (see the class comment). */
  static commitAll(except?: GroupCommit): void {
    for (const group of GroupCommit.openGroups) if (group !== except) group.commit();
  }

  /** Runs `fn` in a savepoint of the open group at the next turn of the event loop. */
  run<T>(op: string, fn: () => T): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.queue.push({ op, fn, resolve: resolve as (value: unknown) => void, reject });
      this.drainTask ??= setImmediate(() => this.drain());
    });
  }

  /** The failure of a commit no caller was waiting on, once. */
  takeFailure(): StoreError | undefined {
    const failure = this.failure;
    this.failure = undefined;
    return failure;
  }

  /** Commits the open group now, if any; a failure is kept for `takeFailure`. */
  commit(): void {
    clearTimeout(this.commitTimer);
    this.commitTimer = undefined;
    // A group is open exactly while it is listed.
    if (!GroupCommit.openGroups.delete(this)) return;
    this.writesInGroup = 0;
    let db: Database | undefined;
    try {
      db = this.connection('commit');
      db.exec('COMMIT');
    } catch (err) {
      if (db?.inTransaction) db.exec('ROLLBACK');
      this.onUndo();
      this.failure = wrap('commit', err);
    }
  }

  /** Runs what is queued, then commits when the group is full. Called with the queue drained on close. */
  drain(): void {
    if (this.drainTask) clearImmediate(this.drainTask);
    this.drainTask = undefined;
    const writes = this.queue.splice(0);
    if (writes.length === 0) return;
    GroupCommit.commitAll(this);
    const failure = this.takeFailure();
    for (const w of writes) {
      if (failure) {
        w.reject(failure);
        continue;
      }
      try {
        const db = this.connection(w.op);
        if (!GroupCommit.openGroups.has(this)) this.begin(db);
        // A transaction function run inside an open transaction runs in a savepoint.
        const result = db.transaction(w.fn)();
        this.writesInGroup++;
        w.resolve(result);
      } catch (err) {
        this.onUndo();
        w.reject(wrap(w.op, err));
      }
    }
    if (this.writesInGroup >= GROUP_COMMIT_WRITES) this.commit();
  }

  private begin(db: Database): void {
    db.exec('BEGIN IMMEDIATE');
    GroupCommit.openGroups.add(this);
    this.commitTimer = setTimeout(() => this.commit(), GROUP_COMMIT_MS);
  }
}
