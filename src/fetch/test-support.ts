/**
 * FOR TESTS ONLY: limits, a recording logger and result helpers shared by `src/fetch/*.test.ts`.
 * Not exported from `index.ts`.
 */
import type { Logger } from '../core/index.js';
import type { FetchLimits, FetchResult } from './fetch-source.js';

export const TEST_LIMITS: FetchLimits = {
  concurrency: 16,
  perHost: 2,
  timeoutMs: 5_000,
  connectTimeoutMs: 2_000,
  maxBytes: 1024 * 1024,
  maxRedirects: 5,
  userAgent: 'newsmux/test (+https://example.invalid/newsmux)',
  allowPrivateAddresses: false,
};

export interface LogLine {
  readonly level: string;
  readonly msg?: string;
  readonly fields: Record<string, unknown>;
}

/** A Logger that keeps every line, with bindings merged in, for assertions. */
export function recordingLogger(lines: LogLine[] = [], bindings: Record<string, unknown> = {}): Logger & { lines: LogLine[] } {
  const at =
    (level: string) =>
    (objOrMsg: object | string, msg?: string): void => {
      if (typeof objOrMsg === 'string') lines.push({ level, msg: objOrMsg, fields: { ...bindings } });
      else lines.push({ level, msg, fields: { ...bindings, ...objOrMsg } });
    };
  return {
    lines,
    trace: at('trace'),
    debug: at('debug'),
    info: at('info'),
    warn: at('warn'),
    error: at('error'),
    fatal: at('fatal'),
    child: (more) => recordingLogger(lines, { ...bindings, ...more }),
  };
}

/** Narrows a result to `failed`, failing the test with the actual result otherwise. */
export function expectFailed(result: FetchResult): Extract<FetchResult, { kind: 'failed' }> {
  if (result.kind !== 'failed') throw new Error(`expected a failed fetch, got ${JSON.stringify({ ...result, body: undefined })}`);
  return result;
}

/** Narrows a result to `ok`, failing the test with the error otherwise. */
export function expectOk(result: FetchResult): Extract<FetchResult, { kind: 'ok' }> {
  if (result.kind !== 'ok') {
    throw new Error(`expected an ok fetch, got ${result.kind}${result.kind === 'failed' ? `: ${result.error.message}` : ''}`);
  }
  return result;
}
