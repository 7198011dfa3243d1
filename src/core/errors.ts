/** The pipeline stage an error comes from; it starts every message (`fetch: timed out`). */
export type Stage = 'config' | 'fetch' | 'parse' | 'normalize' | 'dedupe' | 'tag' | 'store' | 'publish' | 'serve' | 'cli';

/** Base of every error newsmux raises on purpose. `context` holds our own fields only, never feed data objects. */
export class StageError extends Error {
  readonly stage: Stage;
  readonly code: string;
  readonly context: Readonly<Record<string, unknown>>;

  constructor(stage: Stage, code: string, message: string, context: Record<string, unknown> = {}, options?: ErrorOptions) {
    super(message, options);
    this.name = new.target.name;
    this.stage = stage;
    this.code = code;
    this.context = context;
  }
}

/** One problem in a config file, with the path of the field (`sources[3].url`). */
export interface ConfigIssue {
  readonly path: string;
  readonly message: string;
}

export class ConfigError extends StageError {
  readonly file: string;
  readonly issues: readonly ConfigIssue[];

  constructor(file: string, issues: readonly ConfigIssue[], options?: ErrorOptions) {
    const lines = issues.map((i) => `  ${i.path || '(root)'}: ${i.message}`).join('\n');
    super('config', 'invalid-config', `config: ${file} is invalid:\n${lines}`, { file }, options);
    this.file = file;
    this.issues = issues;
  }
}

/** Why a fetch failed, as a short machine-readable code. */
export type FetchErrorCode =
  | 'http-status'
  | 'timeout'
  | 'too-large'
  | 'too-many-redirects'
  | 'redirect-loop'
  | 'forbidden-address'
  | 'network'
  | 'dns'
  | 'tls'
  | 'bad-encoding'
  | 'empty-body';

export class FetchError extends StageError {
  readonly sourceId: string;
  readonly url: string;
  readonly status?: number;

  constructor(
    code: FetchErrorCode,
    message: string,
    ctx: { sourceId: string; url: string; status?: number },
    options?: ErrorOptions,
  ) {
    super('fetch', code, message, ctx, options);
    this.sourceId = ctx.sourceId;
    this.url = ctx.url;
    this.status = ctx.status;
  }
}

export class ParseError extends StageError {
  readonly sourceId: string;
  readonly url: string;
  readonly format?: string;

  constructor(message: string, ctx: { sourceId: string; url: string; format?: string }, options?: ErrorOptions) {
    super('parse', 'not-a-feed', message, ctx, options);
    this.sourceId = ctx.sourceId;
    this.url = ctx.url;
    this.format = ctx.format;
  }
}

export class StoreError extends StageError {
  readonly op: string;

  constructor(op: string, message: string, options?: ErrorOptions & { code?: string }) {
    super('store', options?.code ?? 'store-failed', message, { op }, options);
    this.op = op;
  }
}

export class PublishError extends StageError {
  readonly section?: string;
  readonly file?: string;

  constructor(message: string, ctx: { section?: string; file?: string }, options?: ErrorOptions) {
    super('publish', 'publish-failed', message, ctx, options);
    this.section = ctx.section;
    this.file = ctx.file;
  }
}

/** A one-line description of any thrown value, for source health rows and `newsmux sources`. */
export function describeError(err: unknown): string {
  if (err instanceof Error) return err.message;
  return String(err);
}
