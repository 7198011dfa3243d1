import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { silentLog } from '../../../tests/fixtures/store/backends.js';
import { DAY, HOUR, makeBatch, makeItem, okState, signatureMatcher, SOURCES, T0 } from '../../../tests/fixtures/store/items.js';
import { Database } from './driver.js';
import { SqliteStore } from './sqlite-store.js';

/** Tables that grow with the store: a statement of a pass must search them by an index, never read them whole. */
const LARGE_TABLES = ['items', 'item_sketch', 'clusters', 'cluster_country', 'cluster_topic'];
/** Statements that walk an index whole on purpose: counts (linear in SQLite whatever the plan), and a walk in index order that stops at its LIMIT. */
const WHOLE_BY_DESIGN = [/\bcount\(\*\)/, /ORDER BY published_at DESC, id LIMIT \?$/];

/** `EXPLAIN QUERY PLAN` of a statement, its parameters bound to NULL. */
function planOf(db: Database, sql: string): string[] {
  const named = [...new Set([...sql.matchAll(/@(\w+)/g)].map((m) => m[1] as string))];
  const explain = db.prepare(`EXPLAIN QUERY PLAN ${sql}`);
  const positional = (sql.match(/\?/g) ?? []).length;
  const params = named.length > 0 ? [Object.fromEntries(named.map((n) => [n, null]))] : Array.from({ length: positional }, () => null);
  return (explain.all(...params) as { detail: string }[]).map((r) => r.detail);
}

describe('SqliteStore query plans', () => {
  const dir = mkdtempSync(join(tmpdir(), 'newsmux-plans-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('reads no growing table whole in what a pass does (SQLite plans without statistics; a bad pick costs seconds a pass)', async () => {
    const path = join(dir, 'plans.db');
    const store = SqliteStore.open(path, silentLog);
    // What a pass does: sources, claims and state; ingests with every identity rule; pruning; every kind of section.
    await store.syncSources(SOURCES, T0);
    await store.claimDueSources({ now: T0, workerId: 'w', leaseMs: HOUR, limit: 10 });
    const nearDuplicates = signatureMatcher();
    const first = [makeItem('dawn', 'a', { countries: ['PK'], topics: ['politics'], bands: ['b1'] }), makeItem('dawn', 'old', { publishedAt: T0 - 40 * DAY })];
    await store.ingest(makeBatch('dawn', first, { nearDuplicates }));
    await store.ingest(makeBatch('tolo', [makeItem('tolo', 'a', { countries: ['AF'], topics: ['conflict'], bands: ['b1'] })], { nearDuplicates }));
    await store.ingest(makeBatch('dawn', [makeItem('dawn', 'a', { contentHash: 'changed', bands: ['b1'] })], { nearDuplicates }));
    await store.recordSourceState('wire', okState(T0));
    await store.prune(T0 - 30 * DAY);
    for (const filter of [{ countries: [], topics: [] }, { countries: ['PK'], topics: [] }, { countries: [], topics: ['conflict'] }, { countries: ['AF', 'PK'], topics: ['conflict'] }] as const) {
      await store.sectionItems(filter, 50);
      await store.sectionStats(filter);
    }
    await store.tagCounts();
    await store.sourceStates();
    await store.recordPass({
      startedAt: T0, finishedAt: T0 + 1000, status: 'ok', sourcesOk: 3, sourcesNotModified: 0, sourcesFailed: 0,
      itemsNew: 2, itemsUpdated: 1, itemsDuplicate: 0, itemsMerged: 1, clustersFormed: 1, sectionsWritten: 4,
    });
    await store.lastPass();
    // The statements the store prepared along the way (private: read for this check only).
    const statements = [...(store as unknown as { statements: Map<string, unknown> }).statements.keys()];
    await store.close();

    const db = new Database(path, { readonly: true });
    try {
      expect(statements.length).toBeGreaterThan(20);
      const scansWhole = (step: string) => LARGE_TABLES.some((t) => step.startsWith(`SCAN ${t} `) || step === `SCAN ${t}`);
      const fullScans = statements
        .filter((sql) => !WHOLE_BY_DESIGN.some((re) => re.test(sql.trim())))
        .flatMap((sql) => planOf(db, sql).filter(scansWhole).map((step) => `${step}  ←  ${sql.replace(/\s+/g, ' ').slice(0, 120)}`));
      expect(fullScans).toEqual([]);
    } finally {
      db.close();
    }
  });
});
