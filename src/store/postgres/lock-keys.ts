import { createHash } from 'node:crypto';
import type { TaggedItem } from '../../core/index.js';
import type { IngestBatch } from '../store.js';

/**
 * The keys an ingest locks before it looks up its pending items, as signed 64-bit integers in ascending order (so that two
 * transactions always lock shared keys in the same order): every item id, canonical URL, the source's title keys and,
 * with a near-duplicate policy, every band key. Two workers whose batches could match each other share at least one
 * key, so the second waits for the first to commit and then sees its items.
 */
export function ingestLockKeys(batch: IngestBatch, items: readonly TaggedItem[] = batch.items): string[] {
  const keys = new Set<bigint>();
  for (const item of items) {
    keys.add(hash64(`i\u0000${item.id}`));
    if (item.url) keys.add(hash64(`u\u0000${item.url}`));
    if (item.titleKey) keys.add(hash64(`t\u0000${batch.sourceId}\u0000${item.titleKey}`));
    if (batch.nearDuplicates && item.sketch) for (const band of item.sketch.bandKeys) keys.add(hash64(`b\u0000${band}`));
  }
  return [...keys].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)).map(String);
}

function hash64(text: string): bigint {
  return createHash('sha1').update(text).digest().readBigInt64BE(0);
}
