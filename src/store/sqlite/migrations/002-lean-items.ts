/**
 * v2: `items` without the plain-text copies of summary and content (written, never read: publishing derives text from
 * the sanitized HTML), and with the two HTML columns last. SQLite reads a row's columns in order, so a small column
 * stored after several kilobytes of HTML cost a walk through overflow pages on every lookup (ingest, stories, sections).
 */
export const leanItems = {
  version: 2,
  name: 'lean-items',
  sql: `
CREATE TABLE items_v2 (
  id TEXT PRIMARY KEY,
  source_id TEXT NOT NULL,
  cluster_id TEXT NOT NULL,
  item_key TEXT NOT NULL,
  guid TEXT,
  url TEXT,
  url_key TEXT UNIQUE,
  title TEXT NOT NULL,
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
  changed_at INTEGER NOT NULL,
  summary_html TEXT,
  content_html TEXT
);
INSERT INTO items_v2 (id, source_id, cluster_id, item_key, guid, url, url_key, title, author, published_at, updated_at,
  image_url, enclosure_url, enclosure_type, enclosure_length, categories, language, content_hash, title_key, countries,
  topics, first_seen_at, changed_at, summary_html, content_html)
SELECT id, source_id, cluster_id, item_key, guid, url, url_key, title, author, published_at, updated_at,
  image_url, enclosure_url, enclosure_type, enclosure_length, categories, language, content_hash, title_key, countries,
  topics, first_seen_at, changed_at, summary_html, content_html
FROM items ORDER BY rowid;
DROP TABLE items;
ALTER TABLE items_v2 RENAME TO items;
CREATE INDEX items_cluster ON items (cluster_id);
CREATE INDEX items_url ON items (url);
CREATE INDEX items_source_title ON items (source_id, title_key, published_at);
CREATE INDEX items_published ON items (published_at);
`,
} as const;
