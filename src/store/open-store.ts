import { StoreError } from '../core/index.js';
import type { Logger } from '../core/index.js';
import { copyCopyableStore } from './copy-store.js';
import type { CopyableStore } from './copy-store.js';
import { PostgresStore } from './postgres/postgres-store.js';
import { SqliteStore } from './sqlite/sqlite-store.js';
import type { Store } from './store.js';

/** Options for opening a store. */
export interface OpenStoreOptions {
  readonly log: Logger;
}

const POSTGRES_SCHEME = /^postgres(ql)?:\/\//i;
const ANY_SCHEME = /^([a-z][a-z0-9+.-]*):\/\//i;

/** True when `spec` names a PostgreSQL store rather than an SQLite file. */
export function isPostgresSpec(spec: string): boolean {
  return POSTGRES_SCHEME.test(spec);
}

async function openCopyable(spec: string, options: OpenStoreOptions): Promise<CopyableStore> {
  if (isPostgresSpec(spec)) return PostgresStore.open(spec, options.log);
  const scheme = ANY_SCHEME.exec(spec)?.[1];
  if (scheme) {
    throw new StoreError('open', `store: unsupported store URL scheme "${scheme}:"; use a file path (SQLite) or postgres://…`, {
      code: 'bad-spec',
    });
  }
  return SqliteStore.open(spec, options.log);
}

/**
 * Opens the store named by `spec`: `postgres://` or `postgresql://` → PostgreSQL (`?schema=NAME` puts the tables in
 * that schema); anything else is an SQLite file path (its folder is created). Applies pending migrations; refuses a
 * store written by a newer newsmux.
 */
export async function openStore(spec: string, options: OpenStoreOptions): Promise<Store> {
  return openCopyable(spec, options);
}

/**
 * Copies the store at `from` into the empty store at `to` (`newsmux migrate-store`), creating and migrating the
 * target first. Returns how many sources and items were copied.
 */
export async function copyStore(from: string, to: string, log: Logger): Promise<{ sources: number; items: number }> {
  if (from === to) throw new StoreError('copy', 'store: --from and --to name the same store', { code: 'bad-spec' });
  const source = await openCopyable(from, { log });
  try {
    const target = await openCopyable(to, { log });
    try {
      return await copyCopyableStore(source, target, log);
    } finally {
      await target.close();
    }
  } finally {
    await source.close();
  }
}
