import type { Logger } from '../core/index.js';
import { copyStore } from '../store/index.js';

/** `newsmux migrate-store --from ./data/newsmux.db --to postgres://…`: copies an embedded store into PostgreSQL. */
export async function migrateStoreCommand(options: { from: string; to: string }, log: Logger): Promise<number> {
  const copied = await copyStore(options.from, options.to, log.child({ stage: 'store' }));
  log.info({ from: options.from, to: redactPassword(options.to), ...copied }, 'store copied');
  return 0;
}

function redactPassword(spec: string): string {
  try {
    const url = new URL(spec);
    if (url.password) url.password = '***';
    return url.toString();
  } catch {
    return spec; // a file path, not a URL: nothing secret in it
  }
}
