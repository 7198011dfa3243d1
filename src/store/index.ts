/** The store: everything newsmux keeps between passes, in SQLite or PostgreSQL behind one `Store` interface. */
export { copyStore, isPostgresSpec, openStore } from './open-store.js';
export type { OpenStoreOptions } from './open-store.js';
export type {
  ClaimOptions,
  IngestBatch,
  IngestResult,
  LockRecord,
  PassRecord,
  PruneResult,
  SectionStats,
  Store,
} from './store.js';
