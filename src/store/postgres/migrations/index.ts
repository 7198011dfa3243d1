import { initial } from './001-initial.js';
import { leanItems } from './002-lean-items.js';
import { unloggedLockKeys } from './003-unlogged-lock-keys.js';

/** One schema change. Applied in order, each in its own transaction, recorded in `schema_migrations`. */
export interface Migration {
  readonly version: number;
  readonly name: string;
  readonly sql: string;
}

/** PostgreSQL migrations, oldest first. Append only: a released migration never changes. */
export const POSTGRES_MIGRATIONS: readonly Migration[] = [initial, leanItems, unloggedLockKeys];
