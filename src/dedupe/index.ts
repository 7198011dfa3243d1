/**
 * Near-duplicate detection across sources: the same story republished under another headline, trimmed, extended or
 * rewritten. The pass sketches each item (`sketchItem`, `titleKey`); the store indexes the band keys and hands
 * candidates to the matcher inside its ingest transaction.
 */
export { createNearDuplicateMatcher } from './near-duplicate.js';
export { sketchItem } from './sketch.js';
export { titleKey } from './title-key.js';
export { MemoryBandIndex } from './memory-band-index.js';
