import { parentPort, workerData } from 'node:worker_threads';
import { StageError } from '../core/index.js';
import { createTagger } from '../tag/index.js';
import type { TaggerOptions } from '../tag/index.js';
import { processFeed } from './process-feed.js';
import type { FeedBody } from './process-feed.js';

/** A worker thread of the feed pool: builds its own tagger once, then processes one feed body per message. */
const tagger = createTagger(workerData as TaggerOptions);

parentPort?.on('message', (message: { id: number; input: FeedBody }) => {
  try {
    parentPort?.postMessage({ id: message.id, result: processFeed(message.input, tagger) });
  } catch (err) {
    const error =
      err instanceof StageError
        ? { name: err.name, message: err.message, context: err.context, stage: err.stage }
        : { name: 'Error', message: err instanceof Error ? err.message : String(err) };
    parentPort?.postMessage({ id: message.id, error });
  }
});
