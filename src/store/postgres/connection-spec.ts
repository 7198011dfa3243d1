import { StoreError } from '../../core/index.js';

/** A `postgres://` store spec, split into what `pg` takes and what newsmux reads itself. */
export interface PostgresSpec {
  /** The URL for `pg`, without newsmux's own parameters. */
  readonly connectionString: string;
  /** Server options (`-c search_path=…`), when the spec names a schema or passes `options`. */
  readonly options?: string;
  /** `?schema=NAME`: tables live in this schema (created when missing) instead of the role's default. */
  readonly schema?: string;
  /** The URL with the password hidden, for messages and logs. */
  readonly display: string;
}

const SCHEMA_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,62}$/;

/** Reads `postgres://user:pass@host:port/db?schema=name`. */
export function parsePostgresSpec(spec: string): PostgresSpec {
  let url: URL;
  try {
    url = new URL(spec);
  } catch (err) {
    throw new StoreError('open', `store: ${JSON.stringify(redact(spec))} is not a valid PostgreSQL URL`, { cause: err });
  }
  const schema = url.searchParams.get('schema') ?? undefined;
  if (schema !== undefined && !SCHEMA_NAME.test(schema)) {
    throw new StoreError('open', `store: schema ${JSON.stringify(schema)} must be a plain identifier (letters, digits, _)`);
  }
  const given = url.searchParams.get('options') ?? undefined;
  url.searchParams.delete('schema');
  url.searchParams.delete('options');
  const parts = [given, schema ? `-c search_path=${schema}` : undefined].filter((p): p is string => !!p);
  const display = new URL(url.toString());
  if (display.password) display.password = '***';
  return {
    connectionString: url.toString(),
    ...(parts.length > 0 ? { options: parts.join(' ') } : {}),
    ...(schema ? { schema } : {}),
    display: display.toString() + (schema ? `${display.search ? '&' : '?'}schema=${schema}` : ''),
  };
}

function redact(spec: string): string {
  return spec.replace(/\/\/([^:@/]*):[^@/]*@/, '//$1:***@');
}
