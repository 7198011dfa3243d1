import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { addressPolicyFor, classifyAddress, ForbiddenAddressError, guardLookup } from './address-guard.js';
import type { AddressClass, LookupFunction } from './address-guard.js';
import { createFetcher } from './index.js';
import type { Fetcher, FetchLimits, FetcherOptions } from './index.js';
import { startLoopbackTestServer } from './loopback-test-server.js';
import type { LoopbackTestServer } from './loopback-test-server.js';
import { expectFailed, expectOk, recordingLogger, TEST_LIMITS } from './test-support.js';

describe('classifyAddress', () => {
  it.each<{ address: string; cls: AddressClass }>([
    { address: '127.0.0.1', cls: 'loopback' },
    { address: '127.255.0.9', cls: 'loopback' },
    { address: '::1', cls: 'loopback' },
    { address: '::ffff:127.0.0.1', cls: 'loopback' },
    { address: '10.1.2.3', cls: 'private' },
    { address: '172.16.0.1', cls: 'private' },
    { address: '172.31.255.255', cls: 'private' },
    { address: '192.168.1.1', cls: 'private' },
    { address: 'fc00::1', cls: 'private' },
    { address: 'fd12:3456::1', cls: 'private' },
    { address: '169.254.169.254', cls: 'link-local' },
    { address: '::ffff:169.254.169.254', cls: 'link-local' },
    { address: '::ffff:a9fe:a9fe', cls: 'link-local' },
    { address: '64:ff9b::169.254.169.254', cls: 'link-local' },
    { address: '64:ff9b::a9fe:a9fe', cls: 'link-local' },
    { address: 'fe80::1', cls: 'link-local' },
    { address: '0.0.0.0', cls: 'unspecified' },
    { address: '::', cls: 'unspecified' },
    { address: '100.64.0.1', cls: 'cgnat' },
    { address: '100.127.255.254', cls: 'cgnat' },
    { address: '172.32.0.1', cls: 'public' },
    { address: '100.128.0.1', cls: 'public' },
    { address: '93.184.216.34', cls: 'public' },
    { address: '2606:4700::1111', cls: 'public' },
    { address: 'example.com', cls: 'public' },
  ])('$address is $cls', ({ address, cls }) => {
    expect(classifyAddress(address)).toBe(cls);
  });
});

describe('addressPolicyFor', () => {
  it.each([
    { name: 'a public name allows only public addresses', url: 'https://www.dawn.com/feeds/home', allow: false, policy: 'public-only' },
    { name: 'a loopback IP allows loopback', url: 'http://127.0.0.1:8080/feed', allow: false, policy: 'loopback' },
    { name: 'localhost allows loopback', url: 'http://localhost:8080/feed', allow: false, policy: 'loopback' },
    { name: 'an IPv6 loopback allows loopback', url: 'http://[::1]:8080/feed', allow: false, policy: 'loopback' },
    { name: 'a private IP allows private', url: 'http://192.168.1.10/rss', allow: false, policy: 'private' },
    { name: 'allowPrivateAddresses allows everything', url: 'https://www.dawn.com/feeds/home', allow: true, policy: 'all' },
  ])('$name', ({ url, allow, policy }) => {
    expect(addressPolicyFor(url, allow)).toBe(policy);
  });
});

/** A lookup answering from a table, in both the one-address and `all` forms. */
function fakeDns(table: Record<string, string[]>, asked: string[] = []): LookupFunction {
  return (hostname, options, callback) => {
    asked.push(hostname);
    const addresses = table[hostname];
    if (!addresses) return callback(Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' }), '');
    const all = addresses.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));
    if (options.all) callback(null, all);
    else callback(null, all[0]!.address, all[0]!.family);
  };
}

describe('guardLookup', () => {
  const lookupWith = (policy: Parameters<typeof guardLookup>[0], addresses: string[], all: boolean) =>
    new Promise<{ err: unknown; result: unknown }>((resolve) =>
      guardLookup(policy, fakeDns({ 'feed.test': addresses }))('feed.test', { all }, (err, result) =>
        resolve({ err, result }),
      ),
    );

  it('passes public addresses through', async () => {
    expect(await lookupWith('public-only', ['93.184.216.34'], false)).toEqual({ err: null, result: '93.184.216.34' });
  });

  it('drops forbidden addresses and keeps the public ones', async () => {
    const { result } = await lookupWith('public-only', ['10.0.0.1', '93.184.216.34'], true);
    expect(result).toEqual([{ address: '93.184.216.34', family: 4 }]);
  });

  it('fails with ForbiddenAddressError when every address is forbidden', async () => {
    const { err } = await lookupWith('public-only', ['169.254.169.254'], false);
    expect(err).toBeInstanceOf(ForbiddenAddressError);
    expect((err as Error).message).toBe('feed.test resolves to 169.254.169.254, a link-local address');
  });

  it('lets a loopback policy reach loopback but not link-local', async () => {
    expect((await lookupWith('loopback', ['127.0.0.1'], false)).err).toBeNull();
    expect((await lookupWith('loopback', ['169.254.169.254'], false)).err).toBeInstanceOf(ForbiddenAddressError);
  });
});

describe('the fetcher refuses forbidden addresses before connecting', () => {
  let server: LoopbackTestServer;
  /** Hosts undici was about to connect to, from its diagnostics channel. */
  const connectAttempts: string[] = [];
  const onBeforeConnect = (message: unknown): void => {
    connectAttempts.push((message as { connectParams: { hostname: string } }).connectParams.hostname);
  };
  const fetchers: Fetcher[] = [];
  const fetcher = (limits: Partial<FetchLimits> = {}, options: FetcherOptions = {}): Fetcher => {
    const f = createFetcher({ ...TEST_LIMITS, ...limits }, options);
    fetchers.push(f);
    return f;
  };
  const log = recordingLogger();

  beforeAll(async () => {
    server = await startLoopbackTestServer({
      '/feed': (_req, res) => void res.writeHead(200).end('<rss version="2.0"><channel/></rss>'),
      '/to-metadata': (_req, res) => void res.writeHead(302, { location: 'http://169.254.169.254/latest/meta-data/' }).end(),
      '/to-private': (_req, res) => void res.writeHead(301, { location: 'http://10.1.2.3/feed' }).end(),
      '/to-mapped': (_req, res) => void res.writeHead(302, { location: 'http://[::ffff:169.254.169.254]/' }).end(),
      '/to-cgnat': (_req, res) => void res.writeHead(302, { location: 'http://100.64.0.1/' }).end(),
      '/to-unspecified': (_req, res) => void res.writeHead(302, { location: 'http://0.0.0.0/' }).end(),
      '/to-ula': (_req, res) => void res.writeHead(302, { location: 'http://[fd00::1]/' }).end(),
      '/to-metadata-name': (_req, res) => void res.writeHead(302, { location: 'http://metadata.test/computeMetadata/' }).end(),
      '/to-localhost': (_req, res, self) => void res.writeHead(302, { location: `http://localhost:${self.port}/feed` }).end(),
    });
    subscribe('undici:client:beforeConnect', onBeforeConnect);
  });
  afterAll(async () => {
    unsubscribe('undici:client:beforeConnect', onBeforeConnect);
    await server.close();
  });
  afterEach(async () => {
    await Promise.all(fetchers.splice(0).map((f) => f.close()));
    connectAttempts.length = 0;
  });

  it.each([
    { name: 'a redirect to the cloud metadata address', path: '/to-metadata', target: '169.254.169.254', cls: 'link-local' },
    { name: 'a redirect to a private address', path: '/to-private', target: '10.1.2.3', cls: 'private' },
    { name: 'a redirect to an IPv4-mapped metadata address', path: '/to-mapped', target: '::ffff:a9fe:a9fe', cls: 'link-local' },
    { name: 'a redirect to a CGNAT address', path: '/to-cgnat', target: '100.64.0.1', cls: 'cgnat' },
    { name: 'a redirect to the unspecified address', path: '/to-unspecified', target: '0.0.0.0', cls: 'unspecified' },
    { name: 'a redirect to a unique-local IPv6 address', path: '/to-ula', target: 'fd00::1', cls: 'private' },
  ])('$name is refused, even from a source configured on loopback', async ({ path, target, cls }) => {
    const url = server.url(path);
    const result = expectFailed(await fetcher().fetchSource({ sourceId: 'local', url, configuredUrl: url }, log));
    expect(result.error.code).toBe('forbidden-address');
    expect(result.error.message).toContain(`fetch: refused to connect to http://`);
    expect(result.error.message).toContain(`: ${target} is a ${cls} address; set fetch.allowPrivateAddresses to allow it`);
    expect(result.error.cause).toBeInstanceOf(ForbiddenAddressError);
    // The first hop (loopback, allowed) connected; the refused hop never got as far as a connection attempt.
    expect(connectAttempts).toEqual(['127.0.0.1']);
  });

  it('a redirect to a name that resolves to the metadata address is refused at lookup, before connecting', async () => {
    const asked: string[] = [];
    const f = fetcher({}, { lookup: fakeDns({ 'metadata.test': ['169.254.169.254'] }, asked) });
    const url = server.url('/to-metadata-name');
    const result = expectFailed(await f.fetchSource({ sourceId: 'local', url, configuredUrl: url }, log));
    expect(result.error.code).toBe('forbidden-address');
    expect(result.error.message).toBe(
      'fetch: refused to connect to http://metadata.test/computeMetadata/: metadata.test resolves to 169.254.169.254, ' +
        'a link-local address; set fetch.allowPrivateAddresses to allow it',
    );
    expect(asked).toEqual(['metadata.test']);
  });

  it('a source configured on loopback may redirect within loopback', async () => {
    const url = server.url('/to-localhost');
    const result = expectOk(await fetcher().fetchSource({ sourceId: 'local', url, configuredUrl: url }, log));
    expect(result.url).toBe(`http://localhost:${server.port}/feed`);
  });

  it('a source configured at a public name is refused at a loopback address, with no connection made', async () => {
    const connections = server.connections;
    const result = expectFailed(
      await fetcher().fetchSource(
        { sourceId: 'moved', url: server.url('/feed'), configuredUrl: 'https://www.dawn.com/feeds/home' },
        log,
      ),
    );
    expect(result.error.code).toBe('forbidden-address');
    expect(server.connections).toBe(connections);
    expect(connectAttempts).toEqual([]);
  });

  it('a public name whose DNS answers with loopback when we connect (rebinding) is refused, with no connection made', async () => {
    const connections = server.connections;
    const f = fetcher({}, { lookup: fakeDns({ 'rebind.test': ['127.0.0.1'] }) });
    const url = `http://rebind.test:${server.port}/feed`;
    const result = expectFailed(await f.fetchSource({ sourceId: 'rebind', url, configuredUrl: url }, log));
    expect(result.error.code).toBe('forbidden-address');
    expect(result.error.message).toContain('rebind.test resolves to 127.0.0.1, a loopback address');
    expect(server.connections).toBe(connections);
  });

  it('allowPrivateAddresses lets the same name through', async () => {
    const f = fetcher({ allowPrivateAddresses: true }, { lookup: fakeDns({ 'rebind.test': ['127.0.0.1'] }) });
    const url = `http://rebind.test:${server.port}/feed`;
    const result = expectOk(await f.fetchSource({ sourceId: 'rebind', url, configuredUrl: url }, log));
    expect(result.status).toBe(200);
    expect(server.requests.at(-1)?.headers.host).toBe(`rebind.test:${server.port}`);
  });
});
