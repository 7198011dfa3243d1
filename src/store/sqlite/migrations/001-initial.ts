/** v1: sources with their fetch state and leases, items, stories (clusters) with their tags, band index, passes, locks. */
export const initial = {
  version: 1,
  name: 'initial',
  sql: `
CREATE TABLE sources (
  id TEXT PRIMARY KEY,
  position INTEGER NOT NULL DEFAULT 0,
  configured_url TEXT NOT NULL,
  url TEXT NOT NULL,
  name TEXT NOT NULL,
  country TEXT,
  language TEXT,
  priority INTEGER NOT NULL DEFAULT 0,
  active INTEGER NOT NULL DEFAULT 1,
  etag TEXT,
  last_modified TEXT,
  last_outcome TEXT,
  last_status INTEGER,
  last_error TEXT,
  last_attempt_at INTEGER,
  last_success_at INTEGER,
  consecutive_failures INTEGER NOT NULL DEFAULT 0,
  next_due_at INTEGER NOT NULL DEFAULT 0,
  item_key_mode TEXT,
  feed_title TEXT,
  lease_owner TEXT,
  lease_until INTEGER,
  added_at INTEGER NOT NULL
);
CREATE INDEX sources_due ON sources (active, next_due_at);

CREATE TABLE clusters (
  id TEXT PRIMARY KEY,
  published_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  changed_at INTEGER NOT NULL,
  member_count INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX clusters_newest ON clusters (published_at DESC, id);

CREATE TABLE items (
  id TEXT PRIMARY KEY,
  source_id TEXT NOT NULL,
  cluster_id TEXT NOT NULL,
  item_key TEXT NOT NULL,
  guid TEXT,
  url TEXT,
  url_key TEXT UNIQUE,
  title TEXT NOT NULL,
  summary_html TEXT,
  summary_text TEXT,
  content_html TEXT,
  content_text TEXT,
  author TEXT,
  published_at INTEGER NOT NULL,
  updated_at INTEGER,
  image_url TEXT,
  enclosure_url TEXT,
  enclosure_type TEXT,
  enclosure_length INTEGER,
  categories TEXT NOT NULL DEFAULT '[]',
  language TEXT,
  content_hash TEXT NOT NULL,
  title_key TEXT,
  countries TEXT NOT NULL DEFAULT '[]',
  topics TEXT NOT NULL DEFAULT '[]',
  first_seen_at INTEGER NOT NULL,
  changed_at INTEGER NOT NULL
);
CREATE INDEX items_cluster ON items (cluster_id);
CREATE INDEX items_url ON items (url);
CREATE INDEX items_source_title ON items (source_id, title_key, published_at);
CREATE INDEX items_published ON items (published_at);

CREATE TABLE cluster_country (
  cluster_id TEXT NOT NULL,
  country TEXT NOT NULL,
  published_at INTEGER NOT NULL,
  PRIMARY KEY (cluster_id, country)
) WITHOUT ROWID;
CREATE INDEX cluster_country_newest ON cluster_country (country, published_at DESC, cluster_id);

CREATE TABLE cluster_topic (
  cluster_id TEXT NOT NULL,
  topic TEXT NOT NULL,
  published_at INTEGER NOT NULL,
  PRIMARY KEY (cluster_id, topic)
) WITHOUT ROWID;
CREATE INDEX cluster_topic_newest ON cluster_topic (topic, published_at DESC, cluster_id);

-- Near-duplicate sketches, one row per sketched item. The band index built from band_keys lives in memory (see
-- sqlite/band-index.ts): a table keyed by random band hashes would rewrite a page per band on every commit.
CREATE TABLE item_sketch (
  item_id TEXT PRIMARY KEY,
  cluster_id TEXT NOT NULL,
  source_id TEXT NOT NULL,
  published_at INTEGER NOT NULL,
  signature TEXT NOT NULL,
  band_keys TEXT NOT NULL
) WITHOUT ROWID;
CREATE INDEX item_sketch_published ON item_sketch (published_at);

CREATE TABLE passes (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  started_at INTEGER NOT NULL,
  finished_at INTEGER NOT NULL,
  status TEXT NOT NULL,
  sources_ok INTEGER NOT NULL,
  sources_not_modified INTEGER NOT NULL,
  sources_failed INTEGER NOT NULL,
  items_new INTEGER NOT NULL,
  items_updated INTEGER NOT NULL,
  items_duplicate INTEGER NOT NULL,
  items_merged INTEGER NOT NULL,
  clusters_formed INTEGER NOT NULL,
  sections_written INTEGER NOT NULL,
  error TEXT
);

CREATE TABLE locks (
  name TEXT PRIMARY KEY,
  owner TEXT NOT NULL,
  expires_at INTEGER NOT NULL
);
`,
} as const;
