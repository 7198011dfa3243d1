import type { ServerResponse } from 'node:http';
import { brotliCompressSync, deflateRawSync, deflateSync, gzipSync } from 'node:zlib';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { FetchError } from '../core/index.js';
import { createFetcher } from './index.js';
import type { Fetcher, FetchLimits, FetcherOptions, FetchRequest } from './index.js';
import type { LookupFunction } from './address-guard.js';
import { findClosedPort, startLoopbackTestServer, TEST_TLS } from './loopback-test-server.js';
import type { LoopbackTestServer, RouteHandler } from './loopback-test-server.js';
import { expectFailed, expectOk, recordingLogger, TEST_LIMITS } from './test-support.js';

const FEED = '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>Dawn — خبریں</title></channel></rss>';
const log = recordingLogger();

const fetchers: Fetcher[] = [];
function fetcher(limits: Partial<FetchLimits> = {}, options: FetcherOptions = {}): Fetcher {
  const f = createFetcher({ ...TEST_LIMITS, ...limits }, options);
  fetchers.push(f);
  return f;
}
afterEach(async () => {
  await Promise.all(fetchers.splice(0).map((f) => f.close()));
});

function req(url: string, extra: Partial<FetchRequest> = {}): FetchRequest {
  return { sourceId: 'test-source', url, configuredUrl: url, ...extra };
}

const send =
  (status: number, headers: Record<string, string | number> = {}, body: string | Buffer = ''): RouteHandler =>
  (_req, res) =>
    res.writeHead(status, headers).end(body);

const redirect =
  (status: number, to: string): RouteHandler =>
  (_req, res, server) =>
    res.writeHead(status, { location: to.startsWith('/') ? server.url(to) : to }).end();

/** Writes `total` bytes of `chunk` repeated, respecting backpressure, until the client goes away. */
function stream(res: ServerResponse, chunk: Buffer, times: number): void {
  let sent = 0;
  const pump = (): void => {
    while (sent < times) {
      sent++;
      if (!res.write(chunk)) return void res.once('drain', pump);
    }
    res.end();
  };
  res.on('close', () => (sent = times));
  pump();
}

let server: LoopbackTestServer;
let conditionalHits = 0;
const ETAG = '"v1"';
const LAST_MODIFIED = 'Tue, 24 Nov 2026 10:00:00 GMT';

beforeAll(async () => {
  server = await startLoopbackTestServer({
    '/feed.xml': send(200, { 'content-type': 'application/rss+xml; charset=utf-8', etag: ETAG, 'last-modified': LAST_MODIFIED }, FEED),
    '/conditional': (req, res) => {
      conditionalHits++;
      const fresh = req.headers['if-none-match'] === ETAG || req.headers['if-modified-since'] === LAST_MODIFIED;
      if (fresh) return void res.writeHead(304, { etag: ETAG, 'cache-control': 'max-age=600' }).end();
      res.writeHead(200, { etag: ETAG, 'last-modified': LAST_MODIFIED, 'content-type': 'application/rss+xml' }).end(FEED);
    },
    '/gzip': send(200, { 'content-encoding': 'gzip' }, gzipSync(FEED)),
    '/x-gzip': send(200, { 'content-encoding': 'x-gzip' }, gzipSync(FEED)),
    '/deflate': send(200, { 'content-encoding': 'deflate' }, deflateSync(FEED)),
    '/deflate-raw': send(200, { 'content-encoding': 'deflate' }, deflateRawSync(FEED)),
    '/br': send(200, { 'content-encoding': 'br' }, brotliCompressSync(FEED)),
    '/gzip-then-br': send(200, { 'content-encoding': 'gzip, br' }, brotliCompressSync(gzipSync(FEED))),
    '/identity': send(200, { 'content-encoding': 'identity' }, FEED),
    '/truncated-gzip': send(200, { 'content-encoding': 'gzip' }, gzipSync(FEED).subarray(0, -8)),
    '/corrupt-gzip': send(200, { 'content-encoding': 'gzip' }, Buffer.from('this is not gzip at all')),
    '/compress': send(200, { 'content-encoding': 'compress' }, FEED),
    '/empty': send(200, { 'content-type': 'application/rss+xml' }),
    '/no-content': send(204),
    '/status/404': send(404, {}, 'not here'),
    '/status/500': send(500, {}, 'oops'),
    '/status/410': send(410),
    '/status/429': send(429, { 'retry-after': '120' }),
    '/status/503': send(503, { 'retry-after': new Date(Date.now() + 3_600_000).toUTCString() }),
    '/status/503-no-hint': send(503),
    '/max-age': send(200, { 'cache-control': 'public, max-age=900' }, FEED),
    '/reset': (req) => req.socket.destroy(),
  });
});
afterAll(() => server.close());

describe('a plain fetch', () => {
  it('returns the body, content type, validators and final URL, sending our User-Agent and Accept headers', async () => {
    const before = server.requests.length;
    const result = expectOk(await fetcher().fetchSource(req(server.url('/feed.xml')), log));
    expect(result).toMatchObject({
      status: 200,
      url: server.url('/feed.xml'),
      contentType: 'application/rss+xml; charset=utf-8',
      etag: ETAG,
      lastModified: LAST_MODIFIED,
    });
    expect(result.body.toString('utf8')).toBe(FEED);
    expect(result.permanentRedirectTo).toBeUndefined();
    const sent = server.requests[before]!.headers;
    expect(sent['user-agent']).toBe(TEST_LIMITS.userAgent);
    expect(sent.accept).toMatch(/^application\/rss\+xml, application\/atom\+xml/);
    expect(sent['accept-encoding']).toBe('gzip, deflate, br');
    expect(sent['if-none-match']).toBeUndefined();
  });

  it('returns a failure instead of throwing for a URL it cannot use', async () => {
    const result = expectFailed(await fetcher().fetchSource(req('not a url'), log));
    expect(result.error).toBeInstanceOf(FetchError);
    expect(result.error.message).toMatch(/^fetch: /);
  });
});

describe('conditional GET', () => {
  it.each([
    { name: 'an ETag is sent as If-None-Match and a 304 is not-modified', etag: ETAG, lastModified: undefined },
    { name: 'a Last-Modified is sent as If-Modified-Since and a 304 is not-modified', etag: undefined, lastModified: LAST_MODIFIED },
  ])('$name', async ({ etag, lastModified }) => {
    const before = server.requests.length;
    const result = await fetcher().fetchSource(req(server.url('/conditional'), { etag, lastModified }), log);
    expect(result).toEqual({ kind: 'not-modified', status: 304, etag: ETAG, maxAgeMs: 600_000 });
    const sent = server.requests[before]!.headers;
    expect(sent['if-none-match']).toBe(etag);
    expect(sent['if-modified-since']).toBe(lastModified);
  });

  it('fetches the whole feed when the validators no longer match', async () => {
    const hits = conditionalHits;
    const result = expectOk(await fetcher().fetchSource(req(server.url('/conditional'), { etag: '"old"' }), log));
    expect(result.etag).toBe(ETAG);
    expect(result.body.toString()).toBe(FEED);
    expect(conditionalHits).toBe(hits + 1);
  });
});

describe('content codings', () => {
  it.each([
    { name: 'gzip is decoded', path: '/gzip' },
    { name: 'x-gzip is decoded', path: '/x-gzip' },
    { name: 'zlib-wrapped deflate is decoded', path: '/deflate' },
    { name: 'raw deflate (as some servers send it) is decoded', path: '/deflate-raw' },
    { name: 'brotli is decoded', path: '/br' },
    { name: 'stacked codings are undone in reverse order', path: '/gzip-then-br' },
    { name: 'identity is passed through', path: '/identity' },
    { name: 'a gzip body cut short before its trailer yields what arrived', path: '/truncated-gzip' },
  ])('$name', async ({ path }) => {
    const result = expectOk(await fetcher().fetchSource(req(server.url(path)), log));
    expect(result.body.toString('utf8')).toBe(FEED);
  });

  it.each([
    { name: 'a body that is not the gzip it claims', path: '/corrupt-gzip', message: /^fetch: could not decompress the body from http:\/\/127\.0\.0\.1:\d+\/corrupt-gzip/ },
    { name: 'a coding we never offered', path: '/compress', message: /^fetch: unsupported Content-Encoding "compress" from http/ },
  ])('$name fails as bad-encoding', async ({ path, message }) => {
    const result = expectFailed(await fetcher().fetchSource(req(server.url(path)), log));
    expect(result.error.code).toBe('bad-encoding');
    expect(result.error.message).toMatch(message);
  });
});

describe('HTTP statuses', () => {
  it.each([
    { name: '404 is an http-status failure', path: '/status/404', status: 404, message: 'HTTP 404 Not Found', gone: false, retryAfterMs: undefined },
    { name: '500 is an http-status failure', path: '/status/500', status: 500, message: 'HTTP 500 Internal Server Error', gone: false, retryAfterMs: undefined },
    { name: '410 marks the source gone', path: '/status/410', status: 410, message: 'HTTP 410 Gone', gone: true, retryAfterMs: undefined },
    { name: '429 with Retry-After in seconds gives retryAfterMs', path: '/status/429', status: 429, message: 'HTTP 429 Too Many Requests', gone: false, retryAfterMs: 120_000 },
    { name: '503 without Retry-After gives no hint', path: '/status/503-no-hint', status: 503, message: 'HTTP 503 Service Unavailable', gone: false, retryAfterMs: undefined },
  ])('$name', async ({ path, status, message, gone, retryAfterMs }) => {
    const result = expectFailed(await fetcher().fetchSource(req(server.url(path)), log));
    expect(result).toMatchObject({ status, gone });
    expect(result.retryAfterMs).toBe(retryAfterMs);
    expect(result.error).toBeInstanceOf(FetchError);
    expect(result.error).toMatchObject({ code: 'http-status', status, sourceId: 'test-source', url: server.url(path) });
    expect(result.error.message).toBe(`fetch: ${message} from ${server.url(path)}`);
  });

  it('503 with Retry-After as an HTTP date gives the time until then', async () => {
    const result = expectFailed(await fetcher().fetchSource(req(server.url('/status/503')), log));
    expect(result.retryAfterMs).toBeGreaterThan(3_590_000);
    expect(result.retryAfterMs).toBeLessThanOrEqual(3_600_000);
  });

  it('Cache-Control max-age on a 200 gives maxAgeMs', async () => {
    const result = expectOk(await fetcher().fetchSource(req(server.url('/max-age')), log));
    expect(result.maxAgeMs).toBe(900_000);
  });

  it.each([
    { name: 'a 200 with an empty body', path: '/empty', status: 200 },
    { name: 'a 204 No Content', path: '/no-content', status: 204 },
  ])('$name fails as empty-body', async ({ path, status }) => {
    const result = expectFailed(await fetcher().fetchSource(req(server.url(path)), log));
    expect(result.error.code).toBe('empty-body');
    expect(result.error.message).toBe(`fetch: HTTP ${status} from ${server.url(path)} has an empty body`);
  });
});

describe('redirects', () => {
  let hops: LoopbackTestServer;
  beforeAll(async () => {
    hops = await startLoopbackTestServer({
      '/a': redirect(301, '/b'),
      '/b': redirect(308, '/c'),
      '/c': redirect(301, 'd'), // relative to /c
      '/d': send(200, { 'content-type': 'application/rss+xml' }, FEED),
      '/temp-a': redirect(301, '/temp-b'),
      '/temp-b': redirect(302, '/d'),
      '/loop-a': redirect(302, '/loop-b'),
      '/loop-b': redirect(302, '/loop-a'),
      '/self': redirect(301, '/self'),
      '/to-ftp': redirect(302, 'ftp://127.0.0.1/feed.xml'),
      '/to-nowhere': send(302, { location: 'http://[bad' }),
      '/no-location': send(302),
      '/cond-a': redirect(302, '/conditional'),
      '/conditional': (req, res) =>
        req.headers['if-none-match'] === ETAG ? void res.writeHead(304).end() : void res.writeHead(200).end(FEED),
    });
  });
  afterAll(() => hops.close());

  it('follows a 3-hop chain of permanent redirects and reports where the feed moved', async () => {
    const result = expectOk(await fetcher().fetchSource(req(hops.url('/a')), log));
    expect(result.url).toBe(hops.url('/d'));
    expect(result.permanentRedirectTo).toBe(hops.url('/d'));
    expect(result.body.toString()).toBe(FEED);
  });

  it('does not report a move when one hop was temporary', async () => {
    const result = expectOk(await fetcher().fetchSource(req(hops.url('/temp-a')), log));
    expect(result.url).toBe(hops.url('/d'));
    expect(result.permanentRedirectTo).toBeUndefined();
  });

  it('keeps sending the validators after a temporary redirect, so a moved feed can still answer 304', async () => {
    const result = await fetcher().fetchSource(req(hops.url('/cond-a'), { etag: ETAG }), log);
    expect(result.kind).toBe('not-modified');
  });

  it('logs each redirect at debug', async () => {
    const lines = recordingLogger();
    await fetcher().fetchSource(req(hops.url('/a')), lines);
    expect(lines.lines.filter((l) => l.msg === 'fetch redirect').map((l) => l.fields.status)).toEqual([301, 308, 301]);
  });

  it.each([
    { name: 'one more hop than maxRedirects allows', path: '/a', maxRedirects: 2, code: 'too-many-redirects', message: /^fetch: more than 2 redirects, the last from http:\/\/127\.0\.0\.1:\d+\/c to http:\/\/127\.0\.0\.1:\d+\/d$/ },
    { name: 'a loop between two URLs', path: '/loop-a', maxRedirects: 5, code: 'redirect-loop', message: /^fetch: redirect loop: http:\/\/127\.0\.0\.1:\d+\/loop-b redirects back to http:\/\/127\.0\.0\.1:\d+\/loop-a$/ },
    { name: 'a URL that redirects to itself', path: '/self', maxRedirects: 5, code: 'redirect-loop', message: /^fetch: redirect loop/ },
    { name: 'a redirect to another scheme', path: '/to-ftp', maxRedirects: 5, code: 'forbidden-address', message: /^fetch: HTTP 302 from .* redirects to a ftp: URL, which is not followed$/ },
    { name: 'a redirect to an invalid URL', path: '/to-nowhere', maxRedirects: 5, code: 'http-status', message: /^fetch: HTTP 302 from .* redirects to an invalid URL "http:\/\/\[bad"$/ },
    { name: 'a redirect status without Location', path: '/no-location', maxRedirects: 5, code: 'http-status', message: /^fetch: HTTP 302 Found from / },
  ])('fails on $name', async ({ path, maxRedirects, code, message }) => {
    const result = expectFailed(await fetcher({ maxRedirects }).fetchSource(req(hops.url(path)), log));
    expect(result.error.code).toBe(code);
    expect(result.error.message).toMatch(message);
  });
});

describe('size limit', () => {
  const MAX = 64 * 1024;
  let big: LoopbackTestServer;
  beforeAll(async () => {
    // 1 MiB of zeros gzips to about 1 KiB; 1,024 concatenated gzip members decode to 1 GiB.
    const member = gzipSync(Buffer.alloc(1024 * 1024));
    big = await startLoopbackTestServer({
      '/exactly-max': send(200, {}, Buffer.alloc(MAX, 'a')),
      '/chunked-over': (_req, res) => {
        res.writeHead(200, { 'content-type': 'application/rss+xml' });
        stream(res, Buffer.alloc(16 * 1024, 'a'), 1024);
      },
      '/declared-over': (_req, res) => {
        // Declares more than the limit, sends a little and then nothing: only the header can end this quickly.
        res.writeHead(200, { 'content-length': String(MAX * 100) });
        res.write('<rss>');
      },
      '/deflate-bomb': send(200, { 'content-encoding': 'deflate' }, deflateSync(Buffer.alloc(32 * 1024 * 1024))),
      '/raw-deflate-bomb': send(200, { 'content-encoding': 'deflate' }, deflateRawSync(Buffer.alloc(32 * 1024 * 1024))),
      '/br-bomb': send(200, { 'content-encoding': 'br' }, brotliCompressSync(Buffer.alloc(32 * 1024 * 1024))),
      '/gzip-bomb': (_req, res) => {
        res.writeHead(200, { 'content-encoding': 'gzip', 'content-type': 'application/rss+xml' });
        stream(res, member, 1024);
      },
    });
  });
  afterAll(() => big.close());

  it('accepts a body of exactly maxBytes', async () => {
    const result = expectOk(await fetcher({ maxBytes: MAX }).fetchSource(req(big.url('/exactly-max')), log));
    expect(result.body.length).toBe(MAX);
  });

  it('stops a streamed body as soon as it passes maxBytes', async () => {
    const result = expectFailed(await fetcher({ maxBytes: MAX }).fetchSource(req(big.url('/chunked-over')), log));
    expect(result.error.code).toBe('too-large');
    expect(result.error.message).toBe(`fetch: body larger than ${MAX} bytes from ${big.url('/chunked-over')}`);
  });

  it('refuses a Content-Length over maxBytes before reading the body', async () => {
    const started = Date.now();
    const result = expectFailed(await fetcher({ maxBytes: MAX }).fetchSource(req(big.url('/declared-over')), log));
    expect(result.error.code).toBe('too-large');
    expect(result.error.message).toMatch(/^fetch: body larger than 65536 bytes from .* \(Content-Length 6553600\)$/);
    expect(Date.now() - started).toBeLessThan(1_000);
  });

  it.each([
    { name: 'a deflate bomb', path: '/deflate-bomb' },
    { name: 'a raw deflate bomb', path: '/raw-deflate-bomb' },
    { name: 'a brotli bomb', path: '/br-bomb' },
  ])('stops $name of 32 MiB at maxBytes of decoded data', async ({ path }) => {
    const result = expectFailed(await fetcher({ maxBytes: MAX }).fetchSource(req(big.url(path)), log));
    expect(result.error.code).toBe('too-large');
    expect(result.error.message).toBe(`fetch: body larger than ${MAX} bytes from ${big.url(path)}`);
  });

  it('stops a 1 GiB gzip bomb at maxBytes of decoded data, with bounded memory', async () => {
    let peak = 0;
    const baseline = process.memoryUsage().rss;
    const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss - baseline)), 5);
    const started = Date.now();
    const result = expectFailed(await fetcher({ maxBytes: 4 * 1024 * 1024 }).fetchSource(req(big.url('/gzip-bomb')), log));
    clearInterval(sampler);
    expect(result.error.code).toBe('too-large');
    expect(result.error.message).toBe(`fetch: body larger than ${4 * 1024 * 1024} bytes from ${big.url('/gzip-bomb')}`);
    // Decoding the whole GiB would take seconds and a GiB of memory; stopping at 4 MiB takes neither.
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(peak).toBeLessThan(150 * 1024 * 1024);
  });
});

describe('deadlines', () => {
  let slow: LoopbackTestServer;
  beforeAll(async () => {
    slow = await startLoopbackTestServer({
      '/drip': (_req, res) => {
        res.writeHead(200, { 'content-type': 'application/rss+xml' });
        const timer = setInterval(() => res.write('<'), 1000);
        res.on('close', () => clearInterval(timer));
      },
      '/no-headers': () => {
        // Never answers.
      },
    });
  });
  afterAll(() => slow.close());

  it.each([
    { name: 'a body dripping one byte a second is cut at the total deadline', path: '/drip' },
    { name: 'a server that never sends headers is cut at the total deadline', path: '/no-headers' },
  ])('$name', async ({ path }) => {
    const started = Date.now();
    const result = expectFailed(await fetcher({ timeoutMs: 1_500 }).fetchSource(req(slow.url(path)), log));
    const elapsed = Date.now() - started;
    expect(result.error.code).toBe('timeout');
    expect(result.error.message).toBe(`fetch: timed out after 1500 ms reading ${slow.url(path)}`);
    expect(elapsed).toBeGreaterThanOrEqual(1_400);
    expect(elapsed).toBeLessThan(2_500);
  });

  it('a connection that cannot be made in connectTimeoutMs fails as a timeout', async () => {
    // DNS that never answers keeps the connection from being made, like an unreachable host would.
    const hang: LookupFunction = () => {};
    const started = Date.now();
    const f = fetcher({ connectTimeoutMs: 300, allowPrivateAddresses: true }, { lookup: hang });
    const result = expectFailed(await f.fetchSource(req('http://stuck.test:8080/feed'), log));
    expect(result.error.code).toBe('timeout');
    expect(result.error.message).toBe('fetch: could not connect to stuck.test:8080 within 300 ms for http://stuck.test:8080/feed');
    expect(Date.now() - started).toBeLessThan(1_500);
  });
});

describe('network, DNS and TLS failures', () => {
  let tlsServer: LoopbackTestServer;
  beforeAll(async () => {
    tlsServer = await startLoopbackTestServer({ '/feed.xml': send(200, {}, FEED) }, { https: true });
  });
  afterAll(() => tlsServer.close());

  it('connection refused is a network failure', async () => {
    const url = `http://127.0.0.1:${await findClosedPort()}/feed.xml`;
    const result = expectFailed(await fetcher().fetchSource(req(url), log));
    expect(result.error.code).toBe('network');
    expect(result.error.message).toBe(`fetch: connection refused by ${new URL(url).host} for ${url}`);
    expect(result.error.cause).toBeDefined();
  });

  it('a connection reset mid-request is a network failure', async () => {
    const result = expectFailed(await fetcher().fetchSource(req(server.url('/reset')), log));
    expect(result.error.code).toBe('network');
    expect(result.error.message).toMatch(/^fetch: .* reading http:\/\/127\.0\.0\.1:\d+\/reset$/);
  });

  it('a name that does not resolve is a DNS failure', async () => {
    const result = expectFailed(await fetcher().fetchSource(req('http://no-such-feed.invalid/rss'), log));
    expect(result.error.code).toBe('dns');
    // NXDOMAIN normally; a machine with no resolver at all says EAI_AGAIN.
    expect(result.error.message).toMatch(
      /^fetch: DNS lookup of no-such-feed\.invalid failed \((ENOTFOUND|EAI_AGAIN)\) for http:\/\/no-such-feed\.invalid\/rss$/,
    );
  });

  it('a self-signed certificate is a TLS failure', async () => {
    const result = expectFailed(await fetcher().fetchSource(req(tlsServer.url('/feed.xml')), log));
    expect(result.error.code).toBe('tls');
    // Node 24 appends a hint ("; if the root CA is installed locally, try running Node.js with --use-system-ca").
    expect(result.error.message).toMatch(/^fetch: TLS error with 127\.0\.0\.1:\d+ \(DEPTH_ZERO_SELF_SIGNED_CERT: self[- ]signed certificate[^)]*\) for https:/);
  });

  it('a certificate for another name is a TLS failure', async () => {
    const toLoopback: LookupFunction = (_host, opts, cb) =>
      opts.all ? cb(null, [{ address: '127.0.0.1', family: 4 }]) : cb(null, '127.0.0.1', 4);
    const f = fetcher({ allowPrivateAddresses: true }, { lookup: toLoopback, ca: TEST_TLS.cert });
    const result = expectFailed(await f.fetchSource(req(`https://other-name.test:${tlsServer.port}/feed.xml`), log));
    expect(result.error.code).toBe('tls');
    expect(result.error.message).toMatch(/^fetch: TLS error with other-name\.test:\d+ \(ERR_TLS_CERT_ALTNAME_INVALID: /);
  });

  it('an HTTPS feed with a trusted certificate is fetched', async () => {
    const result = expectOk(await fetcher({}, { ca: TEST_TLS.cert }).fetchSource(req(tlsServer.url('/feed.xml')), log));
    expect(result.body.toString()).toBe(FEED);
  });
});

describe('concurrency limits', () => {
  // Counted over both servers: requests being answered right now, and the most at once.
  let inFlight = 0;
  let peak = 0;
  const slowly: RouteHandler = (_req, res) => {
    peak = Math.max(peak, ++inFlight);
    res.on('close', () => inFlight--);
    setTimeout(() => res.writeHead(200).end(FEED), 100);
  };
  let a: LoopbackTestServer;
  let b: LoopbackTestServer;
  beforeAll(async () => {
    [a, b] = await Promise.all([startLoopbackTestServer({ '/feed': slowly }), startLoopbackTestServer({ '/feed': slowly })]);
  });
  afterAll(() => Promise.all([a.close(), b.close()]));

  it('holds each host to perHost requests at once', async () => {
    a.maxInFlight = 0;
    const f = fetcher({ concurrency: 16, perHost: 2 });
    const results = await Promise.all(Array.from({ length: 8 }, () => f.fetchSource(req(a.url('/feed')), log)));
    expect(results.map((r) => r.kind)).toEqual(Array(8).fill('ok'));
    expect(a.maxInFlight).toBe(2);
  });

  it('holds all hosts together to concurrency requests at once', async () => {
    peak = 0;
    const f = fetcher({ concurrency: 3, perHost: 3 });
    const results = await Promise.all(
      Array.from({ length: 12 }, (_, i) => f.fetchSource(req((i % 2 ? a : b).url('/feed')), log)),
    );
    expect(results.map((r) => r.kind)).toEqual(Array(12).fill('ok'));
    expect(peak).toBe(3);
  });
});

describe('logging', () => {
  it('logs one debug line per response with the URL, status and duration, never the body', async () => {
    const lines = recordingLogger();
    await fetcher().fetchSource(req(server.url('/feed.xml')), lines.child({ source: 'dawn' }));
    expect(lines.lines).toEqual([
      { level: 'debug', msg: 'fetch response', fields: { source: 'dawn', url: server.url('/feed.xml'), status: 200, ms: expect.any(Number) } },
    ]);
    expect(JSON.stringify(lines.lines)).not.toContain('rss');
  });
});
