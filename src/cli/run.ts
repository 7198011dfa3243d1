import type { Logger } from '../core/index.js';
import { EXIT } from './exit-codes.js';
import { runPass } from './pass.js';
import { progressReporter } from './progress.js';
import { openRuntime } from './runtime.js';

/** `newsmux run`: one pass, then exit 0 (done, even if some sources failed), 1 (bad config) or 2 (store/publish failed). */
export async function runCommand(options: { config?: string }, log: Logger): Promise<number> {
  const runtime = await openRuntime(options.config, log);
  try {
    await runPass({ ...runtime.passDeps, onProgress: progressReporter() });
    return EXIT.ok;
  } finally {
    await runtime.close();
  }
}
