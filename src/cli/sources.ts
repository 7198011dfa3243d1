import { loadConfig } from '../config/index.js';
import type { Logger, SourceState } from '../core/index.js';
import { openStore } from '../store/index.js';

interface SourceRow {
  id: string;
  name: string;
  url: string;
  status: string;
  lastStatus?: number;
  lastAttemptAt?: string;
  lastSuccessAt?: string;
  consecutiveFailures: number;
  nextDueAt?: string;
  items: number;
  error?: string;
}

/** `newsmux sources [--json]`: each configured source's health, backoff and item count. */
export async function sourcesCommand(options: { config?: string; json?: boolean }, log: Logger, out: NodeJS.WritableStream = process.stdout): Promise<number> {
  const { config } = loadConfig({ file: options.config });
  const store = await openStore(config.store, { log: log.child({ stage: 'store' }) });
  try {
    const states = new Map((await store.sourceStates()).map((s) => [s.sourceId, s]));
    const rows = config.sources.map((source) => toRow(source, states.get(source.id)));
    out.write(options.json ? `${JSON.stringify(rows, null, 2)}\n` : formatTable(rows));
    return 0;
  } finally {
    await store.close();
  }
}

function toRow(source: { id: string; name: string; url: string }, state: SourceState | undefined): SourceRow {
  const iso = (t?: number) => (t ? new Date(t).toISOString() : undefined);
  return {
    id: source.id,
    name: source.name,
    url: state?.url ?? source.url,
    status: state?.lastOutcome ?? 'never fetched',
    lastStatus: state?.lastStatus,
    lastAttemptAt: iso(state?.lastAttemptAt),
    lastSuccessAt: iso(state?.lastSuccessAt),
    consecutiveFailures: state?.consecutiveFailures ?? 0,
    nextDueAt: iso(state?.nextDueAt),
    items: state?.itemCount ?? 0,
    error: state?.lastError,
  };
}

function formatTable(rows: SourceRow[]): string {
  const header = ['SOURCE', 'STATUS', 'HTTP', 'FAILS', 'ITEMS', 'LAST OK', 'NEXT CHECK', 'ERROR'];
  const cells = rows.map((r) => [
    r.id,
    r.status,
    r.lastStatus?.toString() ?? '-',
    r.consecutiveFailures.toString(),
    r.items.toString(),
    r.lastSuccessAt?.slice(0, 16).replace('T', ' ') ?? '-',
    r.nextDueAt?.slice(0, 16).replace('T', ' ') ?? 'now',
    r.error ?? '',
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((c) => (i === header.length - 1 ? 0 : (c[i] ?? '').length))));
  const line = (c: string[]) => c.map((v, i) => (i === c.length - 1 ? v : v.padEnd(widths[i] ?? 0))).join('  ').trimEnd();
  return `${[line(header), ...cells.map(line)].join('\n')}\n`;
}
