/**
 * Near-duplicate detection across sources: the same story republished under another headline, trimmed, extended or
 * rewritten. The pass sketches each item (`sketchItem`, `titleKey`); the store indexes the band keys and, inside its
 * ingest transaction, hands the candidates that share a band within the window to the matcher, which names the
 * story to join.
 */

/** A matcher for the store: verifies candidates by figures, countries, names and weekdays, then by similarity. */
export { createNearDuplicateMatcher } from './near-duplicate.js';
/** The sketch of an item (signature + LSH band keys), or undefined when it has too little text. */
export { sketchItem } from './sketch.js';
/** The normalized headline for "same title, same source, 48 h"; undefined for slot headlines ("Live updates"). */
export { titleKey } from './title-key.js';
/** In-memory band index with the store's lookup semantics, for evaluation, benchmarks and tests. */
export { MemoryBandIndex } from './memory-band-index.js';
