/**
 * v3: `item_sketch` as a rowid table with an index on `item_id`. As a WITHOUT ROWID table keyed by random item ids,
 * each new sketch (a kilobyte and a half: signature and band keys) landed on a random leaf holding two or three
 * others: inserting 50,000 sketches in a cold pass took 2.0 s and dirtied a page per sketch at every commit. Rows now
 * append in arrival order; only the narrow `item_id` index takes random inserts.
 */
export const sketchRows = {
  version: 3,
  name: 'sketch-rows',
  sql: `
CREATE TABLE item_sketch_v3 (
  item_id TEXT NOT NULL,
  cluster_id TEXT NOT NULL,
  source_id TEXT NOT NULL,
  published_at INTEGER NOT NULL,
  signature TEXT NOT NULL,
  band_keys TEXT NOT NULL
);
INSERT INTO item_sketch_v3 (item_id, cluster_id, source_id, published_at, signature, band_keys)
  SELECT item_id, cluster_id, source_id, published_at, signature, band_keys FROM item_sketch ORDER BY published_at;
DROP TABLE item_sketch;
ALTER TABLE item_sketch_v3 RENAME TO item_sketch;
CREATE UNIQUE INDEX item_sketch_item ON item_sketch (item_id);
CREATE INDEX item_sketch_published ON item_sketch (published_at);
`,
} as const;
