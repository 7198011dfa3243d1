import { StoreError } from '../core/index.js';
import type { Logger } from '../core/index.js';
import { ITEM_COLUMNS, PASS_COLUMNS, SKETCH_COLUMNS, SOURCE_COLUMNS } from './rows.js';
import type { SqlValue } from './rows.js';
import type { Store } from './store.js';

/** One page of rows of one table, as `copyStore` moves them. */
export interface TablePage {
  readonly table: string;
  readonly columns: readonly string[];
  readonly rows: readonly Record<string, SqlValue>[];
}

/** What both backends offer `copyStore` beyond the Store interface. */
export interface CopyableStore extends Store {
  dumpTable(table: string, keyColumns: readonly string[]): AsyncIterable<Record<string, SqlValue>[]>;
  loadTables(pages: AsyncIterable<TablePage>): Promise<void>;
  countRows(table: string): Promise<number>;
}

/** The tables a copy moves, parents first. Locks and lock keys are runtime state and stay behind. */
const COPIED_TABLES: readonly { table: string; columns: readonly string[]; key: readonly string[] }[] = [
  { table: 'sources', columns: SOURCE_COLUMNS, key: ['id'] },
  { table: 'clusters', columns: ['id', 'published_at', 'updated_at', 'changed_at', 'member_count'], key: ['id'] },
  { table: 'items', columns: ITEM_COLUMNS, key: ['id'] },
  { table: 'cluster_country', columns: ['cluster_id', 'country', 'published_at'], key: ['cluster_id', 'country'] },
  { table: 'cluster_topic', columns: ['cluster_id', 'topic', 'published_at'], key: ['cluster_id', 'topic'] },
  // The band index is derived from item_sketch: PostgreSQL rebuilds its item_band table, SQLite keeps it in memory.
  { table: 'item_sketch', columns: SKETCH_COLUMNS, key: ['item_id'] },
  // Pass ids are not copied: the target numbers them anew, in the same order.
  { table: 'passes', columns: PASS_COLUMNS, key: ['id'] },
];

/**
 * Copies everything one store holds (sources with their state, items, stories, tags, bands, the pass log) into
 * another, empty one, in one transaction on the target. Used by `newsmux migrate-store` (SQLite → PostgreSQL); any
 * direction works.
 */
export async function copyCopyableStore(from: CopyableStore, to: CopyableStore, log: Logger): Promise<{ sources: number; items: number }> {
  const [targetSources, targetItems] = await Promise.all([to.countRows('sources'), to.countRows('items')]);
  if (targetSources > 0 || targetItems > 0) {
    throw new StoreError(
      'copy',
      `store: the target store already holds ${targetSources} sources and ${targetItems} items; copy into an empty store`,
      { code: 'target-not-empty' },
    );
  }
  const counts = new Map<string, number>();
  async function* pages(): AsyncGenerator<TablePage> {
    for (const { table, columns, key } of COPIED_TABLES) {
      let n = 0;
      for await (const rows of from.dumpTable(table, key)) {
        n += rows.length;
        yield { table, columns, rows };
      }
      counts.set(table, n);
      log.info({ table, rows: n }, 'table copied');
    }
  }
  await to.loadTables(pages());
  return { sources: counts.get('sources') ?? 0, items: counts.get('items') ?? 0 };
}
