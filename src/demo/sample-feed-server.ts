import { createHash } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';

/** One bundled sample feed, as the demo configures it. */
export interface SampleFeed {
  readonly id: string;
  readonly name: string;
  readonly url: string;
  readonly country?: string;
  readonly language?: string;
}

/** The running sample feed server. `close()` is idempotent. */
export interface SampleFeedServer {
  /** `http://127.0.0.1:<port>/`. */
  readonly baseUrl: string;
  readonly feeds: readonly SampleFeed[];
  close(): Promise<void>;
}

interface ManifestEntry {
  id: string;
  file: string;
  name: string;
  country?: string;
  language?: string;
  contentType: string;
}

interface ServedFile {
  readonly body: Buffer;
  readonly contentType: string;
  readonly etag: string;
  readonly lastModified: string;
}

/** `demo/feeds/` of the repository, from `src/demo/` (tsx) and `dist/demo/` (built) alike. */
export const SAMPLE_FEEDS_DIR = fileURLToPath(new URL('../../demo/feeds/', import.meta.url));

/** The sample files' own "now": every date in them lies within a few days before it. */
const SAMPLES_WRITTEN_AT = Date.UTC(2026, 10, 24, 12);
const DAY_MS = 86_400_000;

/**
 * Serves the bundled sample feeds (`demo/feeds/feeds.yaml`) on 127.0.0.1, each with its own Content-Type and
 * charset, ETag, Last-Modified and 304s, like a well-behaved news site. Dates in the files are moved forward by the
 * whole days elapsed since they were written (`now`, default the clock), so the demo shows recent news on any day;
 * the shift is fixed when the server starts, so the bytes, and ETags, stay the same for its whole life.
 */
export async function startSampleFeedServer(
  opts: { port?: number; dir?: string; now?: number } = {},
): Promise<SampleFeedServer> {
  const dir = opts.dir ?? SAMPLE_FEEDS_DIR;
  const manifest = parse(await readFile(join(dir, 'feeds.yaml'), 'utf8')) as { feeds: ManifestEntry[] };
  const shiftDays = Math.floor(((opts.now ?? Date.now()) - SAMPLES_WRITTEN_AT) / DAY_MS);
  const files = new Map<string, ServedFile>();
  for (const entry of manifest.feeds) {
    const raw = await readFile(join(dir, entry.file));
    const body = shiftDates(raw, shiftDays);
    const mtime = Math.max((await stat(join(dir, entry.file))).mtimeMs, SAMPLES_WRITTEN_AT + shiftDays * DAY_MS);
    files.set(`/${entry.file}`, {
      body,
      contentType: entry.contentType,
      etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 22)}"`,
      lastModified: new Date(Math.floor(mtime / 1000) * 1000).toUTCString(),
    });
  }

  const server = createServer((req, res) => {
    const file = files.get((req.url ?? '/').split('?', 1)[0] ?? '/');
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { Allow: 'GET, HEAD' }).end();
      return;
    }
    if (file === undefined) {
      res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' }).end('Not Found\n');
      return;
    }
    const validators = { ETag: file.etag, 'Last-Modified': file.lastModified, 'Cache-Control': 'max-age=300' };
    const ifNoneMatch = req.headers['if-none-match'];
    const ifModifiedSince = req.headers['if-modified-since'];
    const notModified =
      ifNoneMatch !== undefined
        ? ifNoneMatch.split(',').some((t) => t.trim() === file.etag || t.trim() === '*')
        : ifModifiedSince !== undefined && Date.parse(ifModifiedSince) >= Date.parse(file.lastModified);
    if (notModified) {
      res.writeHead(304, validators).end();
      return;
    }
    res.writeHead(200, { ...validators, 'Content-Type': file.contentType, 'Content-Length': file.body.length });
    res.end(req.method === 'HEAD' ? undefined : file.body);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  let closing: Promise<void> | undefined;
  return {
    baseUrl,
    feeds: manifest.feeds.map((f) => ({
      id: f.id,
      name: f.name,
      url: new URL(f.file, baseUrl).href,
      ...(f.country !== undefined ? { country: f.country } : {}),
      ...(f.language !== undefined ? { language: f.language } : {}),
    })),
    close() {
      closing ??= new Promise<void>((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()));
        server.closeAllConnections();
      });
      return closing;
    },
  };
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const RFC822_DATE = /\b(?:(Mon|Tue|Wed|Thu|Fri|Sat|Sun), ?)?(\d{1,2}) (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) (\d{4})\b/g;
const ISO_DATE = /\b(\d{4})-(\d{2})-(\d{2})(?=[T ]\d{2}:\d{2})/g;

/**
 * Moves every RFC 822 and ISO 8601 calendar date in `body` by `days`, keeping times and offsets (a whole-day shift
 * is the same instant shift in any fixed offset). Works on the bytes as latin1, so windows-1256, KOI8-R and UTF-8
 * files come out byte-identical apart from the ASCII dates.
 */
export function shiftDates(body: Buffer, days: number): Buffer {
  if (days === 0) return body;
  const shift = (y: number, m: number, d: number): Date => new Date(Date.UTC(y, m, d + days));
  const text = body
    .toString('latin1')
    .replace(RFC822_DATE, (_all, weekday: string | undefined, d: string, mon: string, y: string) => {
      const date = shift(Number(y), MONTHS.indexOf(mon), Number(d));
      const day = `${String(date.getUTCDate()).padStart(d.length, '0')} ${MONTHS[date.getUTCMonth()]} ${date.getUTCFullYear()}`;
      return weekday === undefined ? day : `${WEEKDAYS[date.getUTCDay()]}, ${day}`;
    })
    .replace(ISO_DATE, (_all, y: string, m: string, d: string) => shift(Number(y), Number(m) - 1, Number(d)).toISOString().slice(0, 10));
  return Buffer.from(text, 'latin1');
}
