import { pino } from 'pino';
import type { Logger } from '../core/index.js';

export interface LoggerOptions {
  /** Where logs go: stdout for the worker, stderr for commands whose stdout is data (`tag`, `sources --json`). */
  readonly destination: 'stdout' | 'stderr';
  readonly level?: string;
}

/**
 * The root logger: JSON lines by default (what operators ship to a log store), pretty when the destination is a
 * terminal. `LOG_LEVEL` sets the level (default info).
 */
export function createLogger(options: LoggerOptions): Logger & { flush?: () => void } {
  const fd = options.destination === 'stdout' ? 1 : 2;
  const stream = fd === 1 ? process.stdout : process.stderr;
  const level = options.level ?? process.env.LOG_LEVEL ?? 'info';
  const base = { level, base: { pid: process.pid }, timestamp: pino.stdTimeFunctions.isoTime };
  if (stream.isTTY && process.env.NEWSMUX_LOG_FORMAT !== 'json') {
    return pino({
      ...base,
      transport: { target: 'pino-pretty', options: { destination: fd, colorize: true, ignore: 'pid,hostname' } },
    });
  }
  return pino(base, pino.destination({ fd, sync: true }));
}
