import { createRequire } from 'node:module';
import type BetterSqlite3 from 'better-sqlite3';

const require = createRequire(import.meta.url);

/**
 * better-sqlite3 for this Node. Version 12 wraps its native objects in Node's raw `ObjectWrap`, which Node 24 changed:
 * a statement finalized by the garbage collector outside a JavaScript context aborts the process (`Assertion failed:
 * (env) != nullptr` in `RemoveEnvironmentCleanupHook`), at exit or at any idle GC. Version 13 moved to Node-API and is
 * fixed, but needs Node 22. So: 12 on Node 20, 13 (the `better-sqlite3-13` alias, with its prebuilt binary) from 22 on.
 * The two have the same API.
 */
export const Database: typeof BetterSqlite3 = require(nodeMajor() >= 22 ? 'better-sqlite3-13' : 'better-sqlite3') as typeof BetterSqlite3;
export type Database = BetterSqlite3.Database;
export type Statement = BetterSqlite3.Statement;

function nodeMajor(): number {
  return Number(process.versions.node.split('.')[0]);
}
