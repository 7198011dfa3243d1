/**
 * Near-duplicate detection across sources: the same story republished under another headline, trimmed, extended or
 * rewritten. The pass sketches each item (`sketchItem`, `titleKey`); the store keeps the sketches and, inside its
 * ingest transaction, loads them into the matcher's band index, which names the candidates (items of the window that
 * share bands with the item); the matcher verifies them and names the story to join.
 */

/** A matcher for the store: verifies candidates by figures, countries, names and weekdays, then by similarity. */
export { createNearDuplicateMatcher } from './near-duplicate.js';
/** The sketch of an item (signature + LSH band keys), or undefined when it has too little text. */
export { sketchItem } from './sketch.js';
/** The normalized headline for "same title, same source, 48 h"; undefined for slot headlines ("Live updates"). */
export { titleKey } from './title-key.js';
/** The in-memory band index that `createNearDuplicateMatcher().createIndex()` makes, and its crowding rule. */
export { BandIndex, CROWDED_BAND } from './band-index.js';
