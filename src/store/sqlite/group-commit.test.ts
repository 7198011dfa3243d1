import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { StoreError } from '../../core/index.js';
import { Database } from './driver.js';
import { GROUP_COMMIT_MS, GROUP_COMMIT_WRITES, GroupCommit } from './group-commit.js';

describe('GroupCommit', () => {
  const dir = mkdtempSync(join(tmpdir(), 'newsmux-group-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  let files = 0;

  /** A WAL database with a table `t`, the group writing to it, and a second connection that reads what is committed. */
  function open() {
    const path = join(dir, `g${++files}.db`);
    const db = new Database(path);
    db.pragma('journal_mode = WAL');
    db.exec('CREATE TABLE t (v INTEGER NOT NULL CHECK (v >= 0))');
    let undone = 0;
    const group = new GroupCommit(
      () => db,
      () => undone++,
    );
    const reader = new Database(path, { readonly: true });
    const committed = () => (reader.prepare('SELECT v FROM t ORDER BY v').pluck().all() as number[]);
    const insert = (v: number) => group.run('insert', () => db.prepare('INSERT INTO t (v) VALUES (?)').run(v).changes);
    return { db, group, committed, insert, undone: () => undone, close: () => (reader.close(), db.close()) };
  }

  it('settles each write at once and commits them together, later', async () => {
    const g = open();
    expect(await Promise.all([g.insert(1), g.insert(2)])).toEqual([1, 1]);
    expect(await g.insert(3)).toBe(1);
    expect(g.db.inTransaction).toBe(true);
    expect(g.committed()).toEqual([]);
    await new Promise((resolve) => setTimeout(resolve, GROUP_COMMIT_MS + 50));
    expect(g.committed()).toEqual([1, 2, 3]);
    expect(g.db.inTransaction).toBe(false);
    g.close();
  });

  it('commits at once when the group is full, and when another operation asks', async () => {
    const g = open();
    await Promise.all(Array.from({ length: GROUP_COMMIT_WRITES }, (_, i) => g.insert(i)));
    expect(g.committed()).toHaveLength(GROUP_COMMIT_WRITES);
    await g.insert(1000);
    GroupCommit.commitAll();
    expect(g.committed()).toContain(1000);
    g.close();
  });

  it('rolls a failed write back to its savepoint; the others commit', async () => {
    const g = open();
    const results = await Promise.allSettled([g.insert(1), g.insert(-1), g.insert(2)]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    const error = (results[1] as PromiseRejectedResult).reason as StoreError;
    expect(error).toBeInstanceOf(StoreError);
    expect(error.message).toMatch(/^store: insert failed: CHECK constraint failed/);
    expect(g.undone()).toBe(1);
    g.group.commit();
    expect(g.committed()).toEqual([1, 2]);
    g.close();
  });

  it('keeps a failed commit for the next operation, with the group rolled back', async () => {
    const g = open();
    // A deferred foreign key is checked at COMMIT: a write that breaks it releases its savepoint and fails the commit.
    g.db.pragma('foreign_keys = ON');
    g.db.exec('CREATE TABLE parent (id INTEGER PRIMARY KEY); CREATE TABLE child (parent INTEGER REFERENCES parent (id) DEFERRABLE INITIALLY DEFERRED)');
    await g.insert(1);
    await g.group.run('orphan', () => g.db.prepare('INSERT INTO child (parent) VALUES (42)').run());
    g.group.commit();
    expect(g.db.inTransaction).toBe(false);
    expect(g.committed()).toEqual([]);
    expect(g.undone()).toBe(1);
    expect(g.group.takeFailure()?.message).toMatch(/^store: commit failed: FOREIGN KEY constraint failed/);
    expect(g.group.takeFailure()).toBeUndefined();
    // The next group starts afresh.
    await g.insert(5);
    g.group.commit();
    expect(g.committed()).toEqual([5]);
    g.close();
  });

  it('lets a second connection of this process write while the first holds an open group', async () => {
    const a = open();
    const path = a.db.name;
    const b = new Database(path, { timeout: 100 });
    const other = new GroupCommit(
      () => b,
      () => {},
    );
    await a.insert(1);
    // Without committing a's group first, b's BEGIN IMMEDIATE would wait for a lock this thread holds.
    await other.run('insert', () => b.prepare('INSERT INTO t (v) VALUES (?)').run(2));
    other.commit();
    expect(a.committed()).toEqual([1, 2]);
    b.close();
    a.close();
  });
});
