import { loadConfig } from '../config/index.js';
import type { Logger } from '../core/index.js';
import { startServer } from '../serve/index.js';
import { openStore } from '../store/index.js';
import { healthCheck } from './health.js';
import { createShutdown } from './shutdown.js';

/** `newsmux serve [--port N]`: serves output.dir (feeds, subscribe page, /healthz) until SIGTERM/SIGINT. */
export async function serveCommand(options: { config?: string; port?: number }, log: Logger): Promise<number> {
  const { config } = loadConfig({ file: options.config });
  const store = await openStore(config.store, { log: log.child({ stage: 'store' }) });
  const server = await startServer({
    root: config.output.dir,
    host: config.server.host,
    port: options.port ?? config.server.port ?? 8080,
    maxAgeSeconds: config.server.maxAgeSeconds,
    health: healthCheck(config, store),
    log: log.child({ stage: 'serve' }),
  });
  log.info({ url: server.url, root: config.output.dir }, 'serving output');
  return createShutdown(log, [
    ['http server', () => server.close()],
    ['store', () => store.close()],
  ]).onSignals();
}
