import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { open, realpath } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { join, sep } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { promisify } from 'node:util';
import { brotliCompress, constants as zlib, gzip } from 'node:zlib';
import { StageError } from '../core/index.js';
import type { Logger } from '../core/index.js';
import { CompressionCache } from './compression-cache.js';
import { lookupFileType } from './content-type.js';
import type { FileType } from './content-type.js';
import { negotiateEncoding } from './negotiate-encoding.js';
import type { Coding } from './negotiate-encoding.js';
import { resolveRequestPath } from './resolve-request-path.js';

/** What `startServer` serves and how. */
export interface ServeOptions {
  /** The folder to serve (`output.dir`). It may not exist yet: until it does, every file is a 404. */
  readonly root: string;
  readonly host: string;
  /** 0 picks a free port; the chosen one is in the result. */
  readonly port: number;
  /** `Cache-Control: public, max-age=…` on served files. */
  readonly maxAgeSeconds: number;
  /** Answers `/healthz`: 200 with `report` as JSON when healthy, else 503. */
  readonly health: () => Promise<{ healthy: boolean; report: object }>;
  /** Answers `/metrics`; without it `/metrics` is a 404 like any missing file. */
  readonly metrics?: { readonly contentType: string; render(): Promise<string> };
  readonly log: Logger;
}

/** A listening server. `close()` stops it; calling it again returns the same promise. */
export interface RunningServer {
  /** `http://host:port/`. */
  readonly url: string;
  readonly port: number;
  close(): Promise<void>;
}

// Below this a compressed body saves less than its headers cost.
const MIN_COMPRESS_BYTES = 512;
const COMPRESSION_CACHE_BYTES = 32 * 1024 * 1024;
// Requests still running this long after close() are cut, so shutdown never hangs on a slow reader.
const CLOSE_GRACE_MS = 5_000;

const brotli = promisify(brotliCompress);
const gzipAsync = promisify(gzip);

/** Serves `root` as static files plus `/healthz` and `/metrics`, until `close()`. */
export async function startServer(options: ServeOptions): Promise<RunningServer> {
  const log = options.log.child({ stage: 'serve' });
  const cache = new CompressionCache(COMPRESSION_CACHE_BYTES);
  const cacheControl = `public, max-age=${options.maxAgeSeconds}`;

  const server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      log.error({ err, url: req.url }, 'request failed');
      if (res.headersSent) res.destroy();
      else sendText(req, res, 500, 'Internal Server Error\n');
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      sendText(req, res, 405, 'Method Not Allowed\n', { Allow: 'GET, HEAD' });
      return;
    }
    const pathname = (req.url ?? '').split(/[?#]/, 1)[0];
    if (pathname === '/healthz') return serveHealth(req, res);
    if (pathname === '/metrics' && options.metrics !== undefined) {
      const body = await options.metrics.render();
      sendText(req, res, 200, body, { 'Content-Type': options.metrics.contentType });
      return;
    }
    return serveFile(req, res);
  }

  async function serveHealth(req: IncomingMessage, res: ServerResponse): Promise<void> {
    let status: number;
    let body: object;
    try {
      const { healthy, report } = await options.health();
      status = healthy ? 200 : 503;
      body = report;
    } catch (err) {
      log.warn({ err }, 'health check failed');
      status = 503;
      body = { status: 'error', error: err instanceof Error ? err.message : String(err) };
    }
    sendText(req, res, status, `${JSON.stringify(body)}\n`, { 'Content-Type': 'application/json; charset=utf-8' });
  }

  async function serveFile(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const target = resolveRequestPath(options.root, req.url);
    let found = target && (await openInsideRoot(options.root, target.fsPath));
    if (target === undefined || found === undefined) return notFound(req, res);
    // The type follows the name asked for; a symlink's target may be named otherwise.
    let typeName = target.fsPath;
    if (found.kind === 'folder') {
      if (!target.trailingSlash) {
        // `/country/pk` → `/country/pk/`, so that the index page's relative links resolve inside the folder.
        const location = `/${target.urlPath.replace(/^\/+/, '')}/${target.query}`;
        sendText(req, res, 301, 'Moved Permanently\n', { Location: location });
        return;
      }
      found = await openInsideRoot(options.root, join(found.path, 'index.html'));
      if (found?.kind !== 'file') return notFound(req, res);
      typeName = 'index.html';
    }
    try {
      await sendFile(req, res, { ...found, type: lookupFileType(typeName) });
    } finally {
      await found.handle.close();
    }
  }

  async function sendFile(
    req: IncomingMessage,
    res: ServerResponse,
    file: { handle: FileHandle; path: string; size: number; mtimeMs: number; type: FileType },
  ): Promise<void> {
    const { handle, path, size, mtimeMs, type } = file;
    // Weak: the gzip and br bodies are the same resource as the plain one (as nginx does it).
    const etag = `W/"${size.toString(16)}-${Math.floor(mtimeMs).toString(16)}"`;
    const modifiedSeconds = Math.floor(mtimeMs / 1000);
    const headers: Record<string, string | number> = {
      ETag: etag,
      'Last-Modified': new Date(modifiedSeconds * 1000).toUTCString(),
      'Cache-Control': cacheControl,
    };
    if (type.compressible) headers.Vary = 'Accept-Encoding';
    if (isNotModified(req, etag, modifiedSeconds)) {
      res.writeHead(304, headers).end();
      return;
    }
    headers['Content-Type'] = type.contentType;
    headers['X-Content-Type-Options'] = 'nosniff';
    const coding: Coding =
      type.compressible && size >= MIN_COMPRESS_BYTES ? negotiateEncoding(req.headers['accept-encoding']) : 'identity';
    if (coding === 'identity') {
      headers['Content-Length'] = size;
      res.writeHead(200, headers);
      if (req.method === 'HEAD') {
        res.end();
        return;
      }
      await pipeline(handle.createReadStream({ start: 0, end: Math.max(0, size - 1), autoClose: false }), res).catch(
        (err: unknown) => log.debug({ err, path }, 'response stream ended early'),
      );
      return;
    }
    const body = await cache.get(`${coding}:${path}`, etag, async () => compress(await handle.readFile(), coding));
    headers['Content-Encoding'] = coding;
    headers['Content-Length'] = body.length;
    res.writeHead(200, headers);
    res.end(req.method === 'HEAD' ? undefined : body);
  }

  function notFound(req: IncomingMessage, res: ServerResponse): void {
    sendText(req, res, 404, 'Not Found\n');
  }

  const port = await new Promise<number>((resolve, reject) => {
    const onError = (err: Error): void => {
      reject(
        new StageError('serve', 'listen-failed', `serve: cannot listen on ${options.host}:${options.port}; is the port free?`, {
          host: options.host,
          port: options.port,
        }, { cause: err }),
      );
    };
    server.once('error', onError);
    server.listen(options.port, options.host, () => {
      server.off('error', onError);
      resolve((server.address() as AddressInfo).port);
    });
  });
  server.on('error', (err) => log.error({ err }, 'server error'));
  const hostInUrl = options.host.includes(':') ? `[${options.host}]` : options.host;
  const url = `http://${hostInUrl}:${port}/`;
  log.info({ url, root: options.root }, 'serving');

  let closing: Promise<void> | undefined;
  return {
    url,
    port,
    close() {
      closing ??= new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => server.closeAllConnections(), CLOSE_GRACE_MS).unref();
        server.close((err) => {
          clearTimeout(timer);
          if (err) reject(new StageError('serve', 'close-failed', 'serve: closing the server failed', {}, { cause: err }));
          else resolve();
        });
        server.closeIdleConnections();
      });
      return closing;
    },
  };
}

type Opened =
  | { readonly kind: 'folder'; readonly path: string }
  | { readonly kind: 'file'; readonly handle: FileHandle; readonly path: string; readonly size: number; readonly mtimeMs: number };

/**
 * Opens `path` when its real path (symlinks resolved) lies inside the real `root`; undefined when it does not exist,
 * is neither a regular file nor a folder, or escapes the root. `path` is the real path. Size and time come from the
 * open handle, so a file the publisher replaces meanwhile (by rename) is served whole, old or new, with its headers.
 */
async function openInsideRoot(root: string, path: string): Promise<Opened | undefined> {
  let realRoot: string;
  let real: string;
  try {
    realRoot = await realpath(root);
    real = await realpath(path);
  } catch {
    return undefined; // missing root or file (or a dangling link): a plain 404
  }
  if (real !== realRoot && !real.startsWith(realRoot.endsWith(sep) ? realRoot : realRoot + sep)) return undefined;
  let handle: FileHandle;
  try {
    handle = await open(real, 'r');
  } catch {
    return undefined; // vanished or unreadable since realpath: a plain 404
  }
  const stats = await handle.stat().catch(async (err: unknown) => {
    await handle.close();
    throw err;
  });
  if (stats.isFile()) return { kind: 'file', handle, path: real, size: stats.size, mtimeMs: stats.mtimeMs };
  await handle.close();
  return stats.isDirectory() ? { kind: 'folder', path: real } : undefined;
}

/** If-None-Match wins over If-Modified-Since (RFC 9110 §13.2.2); ETags compare weakly. */
function isNotModified(req: IncomingMessage, etag: string, modifiedSeconds: number): boolean {
  const ifNoneMatch = req.headers['if-none-match'];
  if (ifNoneMatch !== undefined) {
    const opaque = etag.replace(/^W\//, '');
    return ifNoneMatch.split(',').some((tag) => {
      const t = tag.trim();
      return t === '*' || t.replace(/^W\//, '') === opaque;
    });
  }
  const ifModifiedSince = req.headers['if-modified-since'];
  if (ifModifiedSince === undefined) return false;
  const since = Date.parse(ifModifiedSince);
  return Number.isFinite(since) && modifiedSeconds * 1000 <= since;
}

function compress(body: Buffer, coding: Exclude<Coding, 'identity'>): Promise<Buffer> {
  if (coding === 'gzip') return gzipAsync(body);
  return brotli(body, {
    params: {
      [zlib.BROTLI_PARAM_MODE]: zlib.BROTLI_MODE_TEXT,
      // 11 is ~10x slower for ~5% less; 6 keeps a fresh 1 MB feed under ~20 ms
      [zlib.BROTLI_PARAM_QUALITY]: 6,
      [zlib.BROTLI_PARAM_SIZE_HINT]: body.length,
    },
  });
}

function sendText(
  req: IncomingMessage,
  res: ServerResponse,
  status: number,
  body: string,
  headers: Record<string, string> = {},
): void {
  const bytes = Buffer.from(body, 'utf8');
  res.writeHead(status, {
    'Content-Type': 'text/plain; charset=utf-8',
    'Cache-Control': 'no-store',
    'X-Content-Type-Options': 'nosniff',
    ...headers,
    'Content-Length': bytes.length,
  });
  res.end(req.method === 'HEAD' ? undefined : bytes);
}
