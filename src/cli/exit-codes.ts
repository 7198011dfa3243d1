import { ConfigError } from '../core/index.js';

/** Exit codes operators can script against (a cron wrapper, a container orchestrator). */
export const EXIT = {
  /** The pass completed (some sources may have failed; they are reported). */
  ok: 0,
  /** The config is invalid; nothing ran. */
  config: 1,
  /** The store or the publisher failed; published files are as they were. */
  failure: 2,
} as const;

export function exitCodeFor(err: unknown): number {
  return err instanceof ConfigError ? EXIT.config : EXIT.failure;
}
