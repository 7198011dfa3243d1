import { initial } from './001-initial.js';
import { leanItems } from './002-lean-items.js';
import { sketchRows } from './003-sketch-rows.js';

/** One schema change. Applied in order, each in its own transaction, recorded in `schema_migrations`. */
export interface Migration {
  readonly version: number;
  readonly name: string;
  readonly sql: string;
}

/** SQLite migrations, oldest first. Append only: a released migration never changes. */
export const SQLITE_MIGRATIONS: readonly Migration[] = [initial, leanItems, sketchRows];
