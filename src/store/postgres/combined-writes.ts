import type { PoolClient } from 'pg';

/**
 * One data-changing statement (INSERT, UPDATE or DELETE, without RETURNING), or a locking `SELECT … FOR UPDATE`
 * (`lock`), and the table it changes.
 */
export interface Write {
  readonly table: string;
  readonly sql: string;
  readonly params: readonly unknown[];
  /** Report how many rows it changed (see {@link runWrites}). */
  readonly counted?: boolean;
  /** A locking SELECT: PostgreSQL runs a CTE that reads only when the statement refers to it, so this one is. */
  readonly lock?: boolean;
}

/**
 * Runs `writes` in order, in as few round trips as it can: consecutive writes to different tables go as one statement,
 * each a data-modifying CTE (`WITH w0 AS (INSERT …), w1 AS (UPDATE …) SELECT …`). Every CTE of a statement sees the
 * same snapshot, and PostgreSQL leaves it unpredictable which change wins when two of them touch one row, so a write
 * to a table already in the statement starts the next one. There are no foreign keys or triggers between the tables,
 * so the order of writes to different tables does not matter.
 *
 * Returns the number of rows changed by each `counted` write, in order. A write alone in its group is sent as it is.
 */
export async function runWrites(client: PoolClient, writes: readonly Write[]): Promise<number[]> {
  const counts: number[] = [];
  let group: Write[] = [];
  const flush = async () => {
    if (group.length === 0) return;
    const { text, values } = combine(group);
    const { rows } = await client.query<Record<string, string>>(text, values as unknown[]);
    group.forEach((w, i) => {
      if (w.counted) counts.push(Number(rows[0]?.[`w${i}`] ?? 0));
    });
    group = [];
  };
  for (const write of writes) {
    if (group.some((w) => w.table === write.table)) await flush();
    group.push(write);
  }
  await flush();
  return counts;
}

/** One statement of CTEs, the parameters of each renumbered after those before it. */
export function combine(group: readonly Write[]): { text: string; values: unknown[] } {
  const [only] = group;
  if (group.length === 1 && only && !only.counted) return { text: only.sql, values: [...only.params] };
  const values: unknown[] = [];
  const ctes = group.map((w, i) => {
    const offset = values.length;
    values.push(...w.params);
    const sql = w.sql.replace(/\$(\d+)/g, (_, n: string) => `$${Number(n) + offset}`);
    return `w${i} AS (${sql}${w.counted && !w.lock ? ' RETURNING 1' : ''})`;
  });
  const counted = group.flatMap((w, i) => (w.counted || w.lock ? [`(SELECT count(*) FROM w${i}) AS w${i}`] : []));
  return { text: `WITH ${ctes.join(',\n')}\nSELECT ${counted.length > 0 ? counted.join(', ') : '1'}`, values };
}
