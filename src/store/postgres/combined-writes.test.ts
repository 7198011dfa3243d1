import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PG_TEST_URL, postgresReachable } from '../../../tests/fixtures/store/backends.js';
import { combine, runWrites } from './combined-writes.js';

describe('combine', () => {
  it('numbers each write’s parameters after those of the writes before it', () => {
    const { text, values } = combine([
      { table: 'a', sql: 'INSERT INTO a (x, y) VALUES ($1, $2)', params: [1, 2] },
      { table: 'b', sql: 'UPDATE b SET x = $1 WHERE id = $2', params: [3, 'k'], counted: true },
    ]);
    expect(text).toBe('WITH w0 AS (INSERT INTO a (x, y) VALUES ($1, $2)),\nw1 AS (UPDATE b SET x = $3 WHERE id = $4 RETURNING 1)\nSELECT (SELECT count(*) FROM w1) AS w1');
    expect(values).toEqual([1, 2, 3, 'k']);
  });

  it('refers to a locking SELECT, so that it runs, and sends a lone uncounted write as it is', () => {
    expect(combine([{ table: 'a', sql: 'DELETE FROM a', params: [] }, { table: 'b', sql: 'SELECT id FROM b FOR UPDATE', params: [], lock: true }]).text).toBe(
      'WITH w0 AS (DELETE FROM a),\nw1 AS (SELECT id FROM b FOR UPDATE)\nSELECT (SELECT count(*) FROM w1) AS w1',
    );
    expect(combine([{ table: 'a', sql: 'DELETE FROM a WHERE k = $1', params: ['x'] }])).toEqual({ text: 'DELETE FROM a WHERE k = $1', values: ['x'] });
  });
});

// The contract suite reports an unreachable PostgreSQL (and fails under CI); this case needs a server to mean anything.
const reachable = await postgresReachable();

describe.runIf(reachable || process.env.CI)('runWrites on PostgreSQL', () => {
  const schema = `nmx_writes_${process.pid}`;
  const client = new pg.Client({ connectionString: PG_TEST_URL, options: `-c search_path=${schema}` });
  beforeAll(async () => {
    await client.connect();
    await client.query(`CREATE SCHEMA ${schema}; CREATE TABLE ${schema}.t (k text PRIMARY KEY, v int); CREATE TABLE ${schema}.u (k text PRIMARY KEY)`);
  });
  afterAll(async () => {
    await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await client.end();
  });

  it('runs writes to one table in order, and counts rows', async () => {
    const statements: string[] = [];
    const query = client.query.bind(client);
    const spy = Object.assign(Object.create(client) as pg.Client, {
      query: (text: string, values: unknown[]) => (statements.push(text), query(text, values)),
    });
    const counts = await runWrites(spy as unknown as pg.PoolClient, [
      { table: 't', sql: 'INSERT INTO t (k, v) VALUES ($1, $2)', params: ['a', 1] },
      { table: 'u', sql: 'INSERT INTO u (k) VALUES ($1)', params: ['a'], counted: true },
      // Same table, same row: only correct if it sees the insert above, that is, in a statement of its own.
      { table: 't', sql: 'UPDATE t SET v = v + $1 WHERE k = $2', params: [10, 'a'], counted: true },
      { table: 'u', sql: 'DELETE FROM u WHERE k = $1', params: ['nothing'], counted: true },
    ]);
    expect(statements).toHaveLength(2);
    expect(counts).toEqual([1, 1, 0]);
    expect((await client.query('SELECT k, v FROM t')).rows).toEqual([{ k: 'a', v: 11 }]);
    expect((await client.query('SELECT k FROM u')).rows).toEqual([{ k: 'a' }]);
  });
});
