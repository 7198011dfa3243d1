import { request } from 'node:http';
import type { IncomingHttpHeaders } from 'node:http';
import { mkdir, mkdtemp, rm, symlink, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMetrics, startServer } from './index.js';
import type { RunningServer } from './index.js';

interface Reply {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

/** A raw HTTP/1.1 request: the path goes out byte for byte (fetch would resolve `..` before sending). */
function get(port: number, path: string, options: { method?: string; headers?: Record<string, string> } = {}): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, method: options.method ?? 'GET', headers: options.headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

const FEED_XML = `<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0"><channel><title>all</title>${'<item><title>Kabul — خبر</title></item>'.repeat(40)}</channel></rss>\n`;
const INDEX_HTML = '<!doctype html><title>newsmux</title><p>sections</p>\n';
const MTIME = new Date('2026-11-20T10:00:00Z');

let dir: string;
let root: string;
let server: RunningServer;
let healthy = true;
const metrics = createMetrics({ defaultMetrics: false });

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'newsmux-serve-'));
  root = join(dir, 'public');
  await mkdir(join(root, 'all'), { recursive: true });
  await mkdir(join(root, 'country', 'pk'), { recursive: true });
  await mkdir(join(root, 'topic', 'sport'), { recursive: true });
  await writeFile(join(root, 'index.html'), INDEX_HTML);
  await writeFile(join(root, 'all', 'feed.xml'), FEED_XML);
  await writeFile(join(root, 'all', 'atom.xml'), '<feed xmlns="http://www.w3.org/2005/Atom"/>\n');
  await writeFile(join(root, 'all', 'feed.json'), '{"version":"https://jsonfeed.org/version/1.1"}\n');
  await writeFile(join(root, 'feeds.opml'), '<opml version="2.0"/>\n');
  await writeFile(join(root, 'country', 'pk', 'index.html'), '<p>Pakistan</p>\n');
  await writeFile(join(root, 'topic', 'sport', 'feed.xml'), '<rss version="2.0"/>\n');
  await writeFile(join(root, '.feed.xml.tmp-123'), 'half a file');
  await writeFile(join(dir, 'secret.txt'), 'outside the root');
  await symlink(join(dir, 'secret.txt'), join(root, 'leak.txt'));
  await symlink(dir, join(root, 'leakdir'));
  await symlink(join(root, 'all', 'feed.xml'), join(root, 'latest.xml'));
  await utimes(join(root, 'all', 'feed.xml'), MTIME, MTIME);
  server = await startServer({
    root,
    host: '127.0.0.1',
    port: 0,
    maxAgeSeconds: 300,
    health: async () => ({ healthy, report: { status: healthy ? 'ok' : 'stale', sourcesOk: 3, sourcesFailing: 1 } }),
    metrics,
    log: pino({ level: 'silent' }),
  });
});

afterAll(async () => {
  await server?.close();
  await rm(dir, { recursive: true, force: true });
});

describe('static files', () => {
  it.each([
    { path: '/all/feed.xml', type: 'application/rss+xml; charset=utf-8' },
    { path: '/all/atom.xml', type: 'application/atom+xml; charset=utf-8' },
    { path: '/all/feed.json', type: 'application/feed+json; charset=utf-8' },
    { path: '/feeds.opml', type: 'text/x-opml; charset=utf-8' },
    { path: '/index.html', type: 'text/html; charset=utf-8' },
    { path: '/', type: 'text/html; charset=utf-8' },
    { path: '/country/pk/', type: 'text/html; charset=utf-8' },
    { path: '/all/feed.xml?utm_source=reader', type: 'application/rss+xml; charset=utf-8' },
    { path: '/latest.xml', type: 'application/xml; charset=utf-8' }, // a symlink to all/feed.xml: typed by its own name,
  ])('$path is served as $type', async ({ path, type }) => {
    const res = await get(server.port, path);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe(type);
    expect(res.headers['cache-control']).toBe('public, max-age=300');
    expect(res.headers.etag).toMatch(/^W\/"[0-9a-f]+-[0-9a-f]+"$/);
    expect(res.headers['last-modified']).toBeDefined();
    expect(Number(res.headers['content-length'])).toBe(res.body.length);
  });

  it('serves the bytes of the file, UTF-8 intact', async () => {
    const res = await get(server.port, '/all/feed.xml');
    expect(res.body.toString('utf8')).toBe(FEED_XML);
    expect(res.headers['last-modified']).toBe(MTIME.toUTCString());
  });

  it('redirects a folder without its trailing slash, keeping the query', async () => {
    const res = await get(server.port, '/country/pk?x=1');
    expect(res.status).toBe(301);
    expect(res.headers.location).toBe('/country/pk/?x=1');
  });

  it('answers a folder without index.html with 404', async () => {
    expect((await get(server.port, '/topic/sport/')).status).toBe(404);
  });

  it('answers HEAD with the headers of GET and no body', async () => {
    const full = await get(server.port, '/all/feed.xml');
    const head = await get(server.port, '/all/feed.xml', { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(head.body.length).toBe(0);
    expect(head.headers['content-length']).toBe(full.headers['content-length']);
    expect(head.headers.etag).toBe(full.headers.etag);
  });

  it.each(['POST', 'PUT', 'DELETE', 'OPTIONS', 'PATCH'])('answers %s with 405 and Allow', async (method) => {
    const res = await get(server.port, '/all/feed.xml', { method });
    expect(res.status).toBe(405);
    expect(res.headers.allow).toBe('GET, HEAD');
  });

  it('answers a missing file with a plain 404', async () => {
    const res = await get(server.port, '/nope/feed.xml');
    expect(res.status).toBe(404);
    expect(res.headers['content-type']).toBe('text/plain; charset=utf-8');
    expect(res.body.toString()).toBe('Not Found\n');
  });
});

describe('conditional requests', () => {
  it('answers a matching If-None-Match with 304 and no body', async () => {
    const first = await get(server.port, '/all/feed.xml');
    const res = await get(server.port, '/all/feed.xml', { headers: { 'If-None-Match': first.headers.etag! } });
    expect(res.status).toBe(304);
    expect(res.body.length).toBe(0);
    expect(res.headers.etag).toBe(first.headers.etag);
    expect(res.headers['cache-control']).toBe('public, max-age=300');
  });

  it('matches an ETag in a list, and the strong form of the weak tag', async () => {
    const { etag } = (await get(server.port, '/all/feed.xml')).headers;
    const strong = etag!.replace(/^W\//, '');
    const res = await get(server.port, '/all/feed.xml', { headers: { 'If-None-Match': `"other", ${strong}` } });
    expect(res.status).toBe(304);
  });

  it('answers a stale If-None-Match with 200 even when If-Modified-Since matches', async () => {
    const res = await get(server.port, '/all/feed.xml', {
      headers: { 'If-None-Match': '"stale"', 'If-Modified-Since': new Date().toUTCString() },
    });
    expect(res.status).toBe(200);
  });

  it.each([
    { name: 'the Last-Modified time itself gives 304', since: MTIME.toUTCString(), status: 304 },
    { name: 'a later time gives 304', since: new Date(MTIME.getTime() + 60_000).toUTCString(), status: 304 },
    { name: 'an earlier time gives 200', since: new Date(MTIME.getTime() - 1_000).toUTCString(), status: 200 },
    { name: 'an unparseable date gives 200', since: 'yesterday', status: 200 },
  ])('If-Modified-Since: $name', async ({ since, status }) => {
    const res = await get(server.port, '/all/feed.xml', { headers: { 'If-Modified-Since': since } });
    expect(res.status).toBe(status);
  });

  it('changes the ETag when the file changes', async () => {
    const before = (await get(server.port, '/feeds.opml')).headers.etag;
    await writeFile(join(root, 'feeds.opml'), '<opml version="2.0"><body/></opml>\n');
    const after = await get(server.port, '/feeds.opml', { headers: { 'If-None-Match': before! } });
    expect(after.status).toBe(200);
    expect(after.headers.etag).not.toBe(before);
  });
});

describe('compression', () => {
  it.each([
    { accept: 'gzip, deflate, br', coding: 'br' },
    { accept: 'gzip', coding: 'gzip' },
    { accept: 'br;q=0.5, gzip', coding: 'gzip' },
    { accept: 'br;q=0, *', coding: 'gzip' },
    { accept: 'identity', coding: undefined },
    { accept: '', coding: undefined },
  ])('Accept-Encoding "$accept" gives $coding', async ({ accept, coding }) => {
    const res = await get(server.port, '/all/feed.xml', { headers: { 'Accept-Encoding': accept } });
    expect(res.status).toBe(200);
    expect(res.headers['content-encoding']).toBe(coding);
    expect(res.headers.vary).toBe('Accept-Encoding');
    const body = coding === 'br' ? brotliDecompressSync(res.body) : coding === 'gzip' ? gunzipSync(res.body) : res.body;
    expect(body.toString('utf8')).toBe(FEED_XML);
    expect(Number(res.headers['content-length'])).toBe(res.body.length);
  });

  it('serves a compressed body again from the same file version, and a new one after a change', async () => {
    const path = join(root, 'all', 'feed.json');
    const big = (n: number): string => JSON.stringify({ version: 'https://jsonfeed.org/version/1.1', items: Array(n).fill({ title: 'x' }) });
    await writeFile(path, big(100));
    const a = await get(server.port, '/all/feed.json', { headers: { 'Accept-Encoding': 'gzip' } });
    const b = await get(server.port, '/all/feed.json', { headers: { 'Accept-Encoding': 'gzip' } });
    expect(gunzipSync(b.body).toString()).toBe(big(100));
    expect(b.body.equals(a.body)).toBe(true);
    await writeFile(path, big(200));
    const c = await get(server.port, '/all/feed.json', { headers: { 'Accept-Encoding': 'gzip' } });
    expect(gunzipSync(c.body).toString()).toBe(big(200));
  });

  it('does not compress a small file, but still varies on Accept-Encoding', async () => {
    const res = await get(server.port, '/all/atom.xml', { headers: { 'Accept-Encoding': 'br, gzip' } });
    expect(res.headers['content-encoding']).toBeUndefined();
    expect(res.headers.vary).toBe('Accept-Encoding');
  });

  it('answers HEAD with the compressed length', async () => {
    const get1 = await get(server.port, '/all/feed.xml', { headers: { 'Accept-Encoding': 'gzip' } });
    const head = await get(server.port, '/all/feed.xml', { method: 'HEAD', headers: { 'Accept-Encoding': 'gzip' } });
    expect(head.headers['content-encoding']).toBe('gzip');
    expect(head.headers['content-length']).toBe(get1.headers['content-length']);
    expect(head.body.length).toBe(0);
  });
});

describe('no path traversal', () => {
  it.each([
    '/../secret.txt',
    '/all/../../secret.txt',
    '/%2e%2e/secret.txt',
    '/%2E%2E/secret.txt',
    '/all/%2e%2e%2f%2e%2e%2fsecret.txt',
    '/..%2fsecret.txt',
    '/%2e%2e%5csecret.txt',
    '/..\\secret.txt',
    '/all\\..\\..\\secret.txt',
    '/%252e%252e/secret.txt',
    `/${encodeURIComponent(join(tmpdir(), 'x'))}/../secret.txt`,
    '//etc/passwd',
    '/etc/passwd',
    '/%2fetc%2fpasswd',
    'http://127.0.0.1/../secret.txt',
    '/all/feed.xml%00.html',
    '/%00',
    '/leak.txt',
    '/leakdir/secret.txt',
    '/leakdir/',
    '/.feed.xml.tmp-123',
    '/%2efeed.xml.tmp-123',
    '/%',
    '/%zz',
  ])('%s is a 404', async (path) => {
    const res = await get(server.port, path);
    expect(res.status).toBe(404);
    expect(res.body.toString()).not.toContain('outside the root');
  });

  it('serves a symlink that stays inside the root', async () => {
    expect((await get(server.port, '/latest.xml')).status).toBe(200);
  });
});

describe('health and metrics', () => {
  it('answers /healthz with 200 and the report while healthy', async () => {
    healthy = true;
    const res = await get(server.port, '/healthz');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(res.headers['cache-control']).toBe('no-store');
    expect(JSON.parse(res.body.toString())).toEqual({ status: 'ok', sourcesOk: 3, sourcesFailing: 1 });
  });

  it('answers /healthz with 503 and the report when unhealthy', async () => {
    healthy = false;
    const res = await get(server.port, '/healthz');
    expect(res.status).toBe(503);
    expect(JSON.parse(res.body.toString())).toMatchObject({ status: 'stale' });
    healthy = true;
  });

  it('answers /metrics with Prometheus text', async () => {
    metrics.recordPass({
      startedAt: 1_000,
      finishedAt: 3_500,
      status: 'ok',
      itemsNew: 12,
      itemsUpdated: 1,
      itemsDuplicate: 2,
      itemsMerged: 3,
      sourcesFailed: 1,
    });
    const res = await get(server.port, '/metrics');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toContain('text/plain');
    expect(res.body.toString()).toContain('newsmux_items_total{kind="new"} 12');
  });
});

describe('lifecycle', () => {
  it('reports a port in use as a serve error', async () => {
    await expect(
      startServer({ root, host: '127.0.0.1', port: server.port, maxAgeSeconds: 0, health: async () => ({ healthy: true, report: {} }), log: pino({ level: 'silent' }) }),
    ).rejects.toThrow(/serve: cannot listen on 127.0.0.1:/);
  });

  it('serves 404s while the output folder does not exist yet, and files once it does', async () => {
    const later = join(dir, 'later');
    const s = await startServer({ root: later, host: '127.0.0.1', port: 0, maxAgeSeconds: 60, health: async () => ({ healthy: true, report: {} }), log: pino({ level: 'silent' }) });
    try {
      expect((await get(s.port, '/')).status).toBe(404);
      expect((await get(s.port, '/metrics')).status).toBe(404);
      await mkdir(later);
      await writeFile(join(later, 'index.html'), INDEX_HTML);
      expect((await get(s.port, '/')).status).toBe(200);
      expect(s.url).toBe(`http://127.0.0.1:${s.port}/`);
    } finally {
      await s.close();
    }
  });

  it('closes idempotently', async () => {
    const s = await startServer({ root, host: '127.0.0.1', port: 0, maxAgeSeconds: 60, health: async () => ({ healthy: true, report: {} }), log: pino({ level: 'silent' }) });
    await get(s.port, '/');
    await Promise.all([s.close(), s.close()]);
    await s.close();
    await expect(get(s.port, '/')).rejects.toThrow(/ECONNREFUSED/);
  });
});
