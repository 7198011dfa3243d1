/**
 * v2: `items` without the plain-text copies of summary and content (written, never read: publishing derives text from
 * the sanitized HTML). PostgreSQL keeps large values out of line already, so column order needs no change here.
 */
export const leanItems = {
  version: 2,
  name: 'lean-items',
  sql: `
ALTER TABLE items DROP COLUMN summary_text, DROP COLUMN content_text;
`,
} as const;
