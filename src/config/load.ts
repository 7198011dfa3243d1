import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseDocument } from 'yaml';
import type { z } from 'zod';
import { ConfigError } from '../core/index.js';
import type { ConfigIssue } from '../core/index.js';
import { configSchema, formatPath } from './schema.js';
import type { Config } from './schema.js';

/** The bundled configuration used when neither `-c` nor `NEWSMUX_CONFIG` names one. */
export const DEFAULT_CONFIG_PATH = 'config/default.yaml';

export interface LoadConfigOptions {
  /** `-c FILE`; wins over `NEWSMUX_CONFIG`. */
  readonly file?: string;
  readonly env?: NodeJS.ProcessEnv;
}

/**
 * Reads, validates and freezes the config. Throws `ConfigError` naming the file and every bad field.
 * `NEWSMUX_STORE` (or `DATABASE_URL`) overrides `store`; `NEWSMUX_OUTPUT_DIR` overrides `output.dir`.
 */
export function loadConfig(options: LoadConfigOptions = {}): { config: Config; file: string } {
  const env = options.env ?? process.env;
  const file = resolve(options.file ?? env.NEWSMUX_CONFIG ?? DEFAULT_CONFIG_PATH);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new ConfigError(file, [{ path: '', message: `cannot read the file (${(err as NodeJS.ErrnoException).code ?? String(err)})` }], { cause: err });
  }
  const config = parseConfig(text, file, env);
  return { config, file };
}

/** Validates YAML text as a config; `file` is only used in messages. */
export function parseConfig(text: string, file: string, env: NodeJS.ProcessEnv = {}): Config {
  const doc = parseDocument(text, { prettyErrors: true, uniqueKeys: true });
  if (doc.errors.length > 0) {
    throw new ConfigError(
      file,
      doc.errors.map((e) => ({ path: e.linePos ? `line ${e.linePos[0].line}` : '', message: e.message.split('\n')[0] ?? e.message })),
    );
  }
  const raw: unknown = doc.toJS() ?? {};
  const input = isPlainObject(raw) ? applyEnvOverrides(raw, env) : raw;
  const result = configSchema.safeParse(input);
  if (!result.success) throw new ConfigError(file, result.error.issues.map(toConfigIssue));
  return deepFreeze(result.data);
}

/** Container-friendly overrides: `NEWSMUX_STORE` (or `DATABASE_URL`) and `NEWSMUX_OUTPUT_DIR`. */
function applyEnvOverrides(raw: Record<string, unknown>, env: NodeJS.ProcessEnv): Record<string, unknown> {
  const result = { ...raw };
  const store = env.NEWSMUX_STORE ?? env.DATABASE_URL;
  if (store) result.store = store;
  if (env.NEWSMUX_OUTPUT_DIR) result.output = { ...(isPlainObject(raw.output) ? raw.output : {}), dir: env.NEWSMUX_OUTPUT_DIR };
  return result;
}

function toConfigIssue(issue: z.core.$ZodIssue): ConfigIssue {
  if (issue.code === 'unrecognized_keys') {
    return { path: formatPath(issue.path), message: `unknown key${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => `"${k}"`).join(', ')}` };
  }
  if (issue.code === 'invalid_type' && issue.input === undefined) {
    return { path: formatPath(issue.path), message: `is required (${issue.expected})` };
  }
  return { path: formatPath(issue.path), message: issue.message };
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}
