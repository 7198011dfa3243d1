/**
 * The logger shape stages receive. It is pino's, narrowed to what stages use, so stages never import pino and
 * tests can pass `pino({ level: 'silent' })` or a recording logger.
 */
export interface LogFn {
  (obj: object, msg?: string): void;
  (msg: string): void;
}

export interface Logger {
  trace: LogFn;
  debug: LogFn;
  info: LogFn;
  warn: LogFn;
  error: LogFn;
  fatal: LogFn;
  child(bindings: Record<string, unknown>): Logger;
}
