// FOR TESTS ONLY (preloaded with `node --import`): writes the process's peak resident set size, in bytes, to
// NEWSMUX_TEST_PEAK_RSS_FILE when the process exits, so a test can bound the memory a whole `newsmux run` used.
import { writeFileSync } from 'node:fs';
import { isMainThread } from 'node:worker_threads';

const file = process.env.NEWSMUX_TEST_PEAK_RSS_FILE;
if (file && isMainThread) process.on('exit', () => writeFileSync(file, String(process.resourceUsage().maxRSS * 1024)));
