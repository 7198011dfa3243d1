/**
 * v3: `ingest_lock_key` unlogged. Its rows exist only to be locked by ingests (and are emptied by every prune), so
 * writing them to the WAL bought nothing; a crash empties an unlogged table, which loses no lock that matters.
 */
export const unloggedLockKeys = {
  version: 3,
  name: 'unlogged-lock-keys',
  sql: `
ALTER TABLE ingest_lock_key SET UNLOGGED;
`,
} as const;
