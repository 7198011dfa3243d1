/**
 * Issue 7: one loopback server serves every hostile or broken case as its own source; one pass over all of them (plus
 * three good feeds) completes, the good feeds are published, every bad source has a clear reason in
 * `newsmux sources --json`, no hostile markup reaches any published file, and nothing published before disappears.
 * Everything stays on 127.0.0.1 (the DNS case asks the resolver about `feed.invalid`, a name reserved to fail).
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { COPY_SCRIPT } from '../../src/publish/index-html.js';
import { repoRoot, runCli } from '../e2e/helpers.js';
import { assertPublishedFilesValid, publishedFiles, rssGuids } from './support.js';

const MAX_BYTES = 256 * 1024;
const NOW_RFC = new Date().toUTCString();

function rss(title: string, items: string[], prolog = '<?xml version="1.0" encoding="utf-8"?>'): string {
  return `${prolog}\n<rss version="2.0"><channel><title>${title}</title><link>http://example.org/</link><description>d</description>\n${items.join('\n')}\n</channel></rss>`;
}
function item(guid: string, title: string, extra = '', body?: string): string {
  return `<item><guid isPermaLink="false">${guid}</guid><title>${title}</title><link>https://example.org/${guid}</link><pubDate>${NOW_RFC}</pubDate><description>${body ?? title}</description>${extra}</item>`;
}

/** Good feed n: distinct stories (different subjects so near-duplicate detection does not merge them). */
const GOOD_SUBJECTS = [
  ['Cricket board names new captain', 'Wheat harvest beats forecast', 'Metro line opens to the airport', 'Museum returns ancient coins'],
  ['Flood defences tested on river', 'Central bank holds the rate', 'University expands medical school', 'Rail strike called off'],
  ['Vaccination drive reaches villages', 'Parliament debates tax reform', 'Solar farm connected to grid', 'Library restores old maps'],
];
const GOOD_BODIES = [
  'Selectors met for six hours before choosing the opener.', 'Farmers in the north report record yields of durum.', 'Commuters can ride from downtown in twenty minutes.',
  'The coins were taken during the colonial survey of 1890.', 'Engineers opened the sluice gates to check the new walls.', 'Inflation eased for a third month in a row.',
  'Two hundred places are added to the nursing course.', 'Unions accepted a pay offer late on Sunday night.', 'Health workers walked to hamlets beyond the last road.',
  'Opposition members walked out over the sales levy.', 'The panels cover an old airfield outside the town.', 'Conservators spent two winters on the vellum charts.',
  'harbour dredging finished ahead of the monsoon', 'a glacier lake is drained to prevent a flood', 'the chess olympiad opens with a record field',
];
function goodFeed(n: number, round: number): string {
  const subjects = GOOD_SUBJECTS[n] as string[];
  const items = subjects.map((s, i) => item(`good-${n}-${i}`, `${s} (${n}-${i})`, '', `${s}. ${(GOOD_BODIES[n * 4 + i] as string)}`));
  if (round > 0) items.unshift(item(`good-${n}-new`, `Second round story ${n}: ${GOOD_BODIES[12 + n] as string}`));
  return rss(`Good feed ${n}`, items);
}

/** Markup that must never reach a published file, spread over titles, summaries and content. */
const HOSTILE_HTML = [
  '<script>alert(1)</script>',
  '<img src="x.png" onerror="alert(2)">',
  '<a href="javascript:alert(3)">click</a>',
  '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCg0KTwvc2NyaXB0Pg==">data</a>',
  '<iframe src="https://evil.example/"></iframe>',
  '<object data="https://evil.example/x.swf"></object>',
  '<div style="width: expression(alert(5))">css</div>',
  '<svg><script>alert(6)</script><circle onload="alert(7)"/></svg>',
  '<a href="JaVaScRiPt:alert(8)">mixed case</a>',
  '<a href="jav&#x09;ascript:alert(9)">tab entity</a>',
];
const cdata = (s: string) => `<![CDATA[${s}]]>`;
function itemsFeed(): string {
  const items: string[] = [];
  HOSTILE_HTML.forEach((h, i) => {
    items.push(
      `<item><guid isPermaLink="false">hostile-${i}</guid><title>${cdata(`Hostile title ${i} ${h}`)}</title><link>${i % 2 ? 'javascript:alert(10)' : `https://example.org/hostile-${i}`}</link><pubDate>${NOW_RFC}</pubDate>` +
        `<description>${cdata(`Hostile summary ${i} ${h}`)}</description><content:encoded>${cdata(`<p>Hostile content ${i}</p>${h}`)}</content:encoded></item>`,
    );
  });
  items.push(
    `<item><guid isPermaLink="false">relative</guid><title>Relative links resolved</title><link>/news/relative-story</link><pubDate>${NOW_RFC}</pubDate>` +
      `<description>${cdata('<p>See <a href="/more/info">more</a> <img src="images/pic.jpg" alt="pic"></p>')}</description></item>`,
    `<item><guid isPermaLink="false">no-date</guid><title>Story with no date at all</title><link>https://example.org/no-date</link><description>undated body</description></item>`,
    `<item><guid isPermaLink="false">future-date</guid><title>Story dated far in the future</title><link>https://example.org/future</link><pubDate>Tue, 01 Jan 2999 00:00:00 GMT</pubDate><description>future body</description></item>`,
    `<item><guid isPermaLink="false">bad-date</guid><title>Story with an unparseable date</title><link>https://example.org/bad-date</link><pubDate>the day after yesterday, probably</pubDate><description>bad date body</description></item>`,
    `<item><guid isPermaLink="false">dup-guid</guid><title>Duplicate guid first copy</title><link>https://example.org/dup</link><pubDate>${NOW_RFC}</pubDate><description>first</description></item>`,
    `<item><guid isPermaLink="false">dup-guid</guid><title>Duplicate guid second copy</title><link>https://example.org/dup</link><pubDate>${NOW_RFC}</pubDate><description>second</description></item>`,
    `<item><guid isPermaLink="false">no-link-only-guid</guid><title>Story that has no link</title><pubDate>${NOW_RFC}</pubDate><description>guid only</description></item>`,
    `<item><guid isPermaLink="false">no-title</guid><link>https://example.org/no-title</link><pubDate>${NOW_RFC}</pubDate><description>Untitled report says the ferry service resumes on Monday after repairs.</description></item>`,
  );
  return rss('Hostile items', items, '<?xml version="1.0" encoding="utf-8"?>').replace('<rss version="2.0">', '<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/">');
}

const BILLION_LAUGHS = `<?xml version="1.0"?>
<!DOCTYPE rss [
 <!ENTITY lol "lol">
 <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<rss version="2.0"><channel><title>Laughs</title><link>http://example.org/</link><description>d</description>
<item><guid isPermaLink="false">laughs-1</guid><title>Laughing matter &lol9;</title><link>https://example.org/laughs</link><pubDate>${NOW_RFC}</pubDate><description>&lol9;</description></item>
</channel></rss>`;

function xxeFeed(probeUrl: string): string {
  return `<?xml version="1.0"?>
<!DOCTYPE rss [
 <!ENTITY xxefile SYSTEM "file:///etc/passwd">
 <!ENTITY xxehttp SYSTEM "${probeUrl}">
 <!ENTITY % xxeparam SYSTEM "${probeUrl}-param">
 %xxeparam;
]>
<rss version="2.0"><channel><title>XXE</title><link>http://example.org/</link><description>d</description>
<item><guid isPermaLink="false">xxe-1</guid><title>External entity story &xxefile;</title><link>https://example.org/xxe</link><pubDate>${NOW_RFC}</pubDate><description>file: &xxefile; http: &xxehttp;</description></item>
</channel></rss>`;
}

interface Case {
  readonly id: string;
  /** Path on the loopback server, or a full URL. */
  readonly url: string;
  /** What `newsmux sources --json` must say. */
  readonly expect: { status: string | RegExp; error?: RegExp; items?: number | 'some'; url?: string };
}

describe('one pass over every hostile and broken source (issue 7)', () => {
  let dir: string;
  let server: Server;
  let tls: Server;
  let base: string;
  let tlsBase: string;
  let closedPort: number;
  let round = 0;
  const requested: string[] = [];
  const drips = new Set<NodeJS.Timeout>();
  let cases: Case[];
  let goodUrls: string[];
  let beforeGuids: string[] = [];
  let hostileRun: { code: number; stdout: string; stderr: string };
  let rows: { id: string; status: string; url: string; error?: string; items: number; nextDueAt?: string; lastStatus?: number }[];
  let files: Map<string, string>;

  const outputDir = () => join(dir, 'public');
  const writeConfig = (sources: { id: string; name: string; url: string }[]) =>
    writeFileSync(
      join(dir, 'config.yaml'),
      stringify({
        store: join(dir, 'store.db'),
        workers: 0,
        output: { dir: outputDir(), baseUrl: 'https://news.example/', retentionDays: 3650, itemsPerFeed: 1000 },
        fetch: { minIntervalMinutes: 0, timeoutMs: 2000, connectTimeoutMs: 1000, maxBytes: MAX_BYTES, maxRedirects: 5 },
        sources,
      }),
    );

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'newsmux-hostile-'));
    const bomb = gzipSync(Buffer.alloc(64 * 1024 * 1024, 0x20), { level: 9 });
    const oversize = rss('Too big', Array.from({ length: 4000 }, (_, i) => item(`big-${i}`, `Big story ${i} ${'x'.repeat(80)}`)));
    const feedsByPath: Record<string, (req: IncomingMessage, res: ServerResponse) => void> = {};
    const xml = (body: string | Buffer, type = 'application/rss+xml; charset=utf-8') => (_req: IncomingMessage, res: ServerResponse) => {
      res.writeHead(200, { 'Content-Type': type }).end(body);
    };
    const redirect = (status: number, to: string) => (_req: IncomingMessage, res: ServerResponse) => {
      res.writeHead(status, { Location: to }).end();
    };
    for (let n = 0; n < 3; n++) feedsByPath[`/good/${n}.xml`] = (req, res) => xml(goodFeed(n, round))(req, res);
    Object.assign(feedsByPath, {
      '/status/404': (_q: IncomingMessage, r: ServerResponse) => r.writeHead(404).end('not here'),
      '/status/410': (_q: IncomingMessage, r: ServerResponse) => r.writeHead(410).end('gone'),
      '/status/500': (_q: IncomingMessage, r: ServerResponse) => r.writeHead(500).end('boom'),
      '/status/429': (_q: IncomingMessage, r: ServerResponse) => r.writeHead(429, { 'Retry-After': '3600' }).end('slow down'),
      '/drip': (_q: IncomingMessage, r: ServerResponse) => {
        r.writeHead(200, { 'Content-Type': 'application/rss+xml' });
        r.write('<');
        const timer = setInterval(() => r.write(' '), 1000);
        drips.add(timer);
        r.on('close', () => {
          clearInterval(timer);
          drips.delete(timer);
        });
      },
      '/loop-a': redirect(302, '/loop-b'),
      '/loop-b': redirect(302, '/loop-a'),
      '/hop1': redirect(301, '/hop2'),
      '/hop2': redirect(308, '/hop3'),
      '/hop3': redirect(301, '/moved/feed.xml'),
      '/moved/feed.xml': xml(rss('Moved', [item('moved-1', 'Moved feed story about the new bridge')])),
      '/page.html': xml(
        '<!doctype html><html><head><title>Outlet</title><link rel="alternate" type="application/rss+xml" title="RSS" href="/linked/feed.xml"></head><body><p>Welcome</p></body></html>',
        'text/html; charset=utf-8',
      ),
      '/linked/feed.xml': xml(rss('Linked', [item('linked-1', 'Linked feed story about the port strike')])),
      '/malformed.xml': xml('<?xml version="1.0"?><rss version="2.0"><channel><title>Broken</title><item><title>Unclosed <b>bold</guid></item></channel'),
      '/garbage.xml': xml('{"this is": not a feed at all <<<>>> \u0000\u0001'),
      '/oversize.xml': xml(oversize),
      '/gzip-bomb.xml': (_q: IncomingMessage, r: ServerResponse) => r.writeHead(200, { 'Content-Type': 'application/rss+xml', 'Content-Encoding': 'gzip' }).end(bomb),
      '/empty.xml': xml(''),
      '/no-items.xml': xml(rss('Nothing today', [])),
      '/billion-laughs.xml': xml(BILLION_LAUGHS),
      '/xxe.xml': (q: IncomingMessage, r: ServerResponse) => xml(xxeFeed(`${base}/xxe-probe`))(q, r),
      '/control-chars.xml': xml(rss('Control', [item('ctl-1', 'Control \u0001chars\u0008 in\u000B the\u001F title'), item('ctl-2', 'Bell \u0007 and escape \u001B story')])),
      '/wrong-encoding.xml': xml(
        Buffer.concat([
          Buffer.from('<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>Enc</title><link>http://example.org/</link><description>d</description><item><guid isPermaLink="false">enc-1</guid><title>'),
          Buffer.from('Caf\xe9 cr\xe8me br\xfbl\xe9e story', 'latin1'),
          Buffer.from(`</title><link>https://example.org/enc</link><pubDate>${NOW_RFC}</pubDate></item></channel></rss>`),
        ]),
        'application/rss+xml; charset=utf-8',
      ),
      '/declared-latin1.xml': xml(
        Buffer.from(rss('Decl', [item('decl-1', 'Declared latin-1 but written in UTF-8: Zürich Ğ 東京')], '<?xml version="1.0" encoding="ISO-8859-1"?>')),
        'application/rss+xml',
      ),
      '/bom.xml': xml(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(rss('BOM', [item('bom-1', 'Byte order mark story about tea prices')]))])),
      '/rtl-emoji.xml': xml(rss('RTL', [item('rtl-1', 'کراچی میں بارش 🌧️ اور سیلاب'), item('rtl-2', 'مرحبا بالعالم 👋🏽 עברית 🇵🇰')])),
      '/items.xml': xml(itemsFeed()),
      '/to-metadata': redirect(302, 'http://169.254.169.254/latest/meta-data/'),
      // 50,000 unclosed tags deep (200 KB); at 10 MB, the same shape held sanitize-html for minutes.
      '/deep-markup.xml': xml(rss('Deep', [item('deep-1', 'Deeply nested story', '', cdata(`${'<div>'.repeat(50_000)}Ferry service resumes in Chittagong`))])),
    });

    server = createServer((req, res) => {
      requested.push(req.url ?? '');
      const handler = feedsByPath[(req.url ?? '').split('?')[0] as string];
      if (handler) handler(req, res);
      else res.writeHead(404).end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

    const fixtures = join(repoRoot, 'tests/fixtures/fetch');
    tls = createHttpsServer(
      { key: readFileSync(join(fixtures, 'test-only-loopback.key')), cert: readFileSync(join(fixtures, 'test-only-loopback.crt')) },
      (_req, res) => res.writeHead(200, { 'Content-Type': 'application/rss+xml' }).end(rss('TLS', [item('tls-1', 'Secret story')]))
    );
    await new Promise<void>((resolve) => tls.listen(0, '127.0.0.1', resolve));
    tlsBase = `https://127.0.0.1:${(tls.address() as AddressInfo).port}`;

    // A port that was free a moment ago and is closed now: connection refused.
    const probe = createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    closedPort = (probe.address() as AddressInfo).port;
    await new Promise<void>((resolve) => probe.close(() => resolve()));

    goodUrls = [0, 1, 2].map((n) => `${base}/good/${n}.xml`);
    cases = [
      { id: 'http-404', url: `${base}/status/404`, expect: { status: 'failed', error: /HTTP 404 Not Found/ } },
      { id: 'http-410', url: `${base}/status/410`, expect: { status: 'gone', error: /HTTP 410 Gone/ } },
      { id: 'http-500', url: `${base}/status/500`, expect: { status: 'failed', error: /HTTP 500 Internal Server Error/ } },
      { id: 'http-429', url: `${base}/status/429`, expect: { status: 'failed', error: /HTTP 429 Too Many Requests/ } },
      { id: 'refused', url: `http://127.0.0.1:${closedPort}/feed.xml`, expect: { status: 'failed', error: /connection refused/ } },
      { id: 'dns-failure', url: 'http://feed.invalid/', expect: { status: 'failed', error: /feed\.invalid/ } },
      { id: 'tls-error', url: `${tlsBase}/feed.xml`, expect: { status: 'failed', error: /TLS error .*self[- ]signed/ } },
      { id: 'drip', url: `${base}/drip`, expect: { status: 'failed', error: /timed out after 2000 ms/ } },
      { id: 'redirect-loop', url: `${base}/loop-a`, expect: { status: 'failed', error: /redirect loop/ } },
      { id: 'three-hops', url: `${base}/hop1`, expect: { status: 'ok', items: 1, url: `${base}/moved/feed.xml` } },
      { id: 'html-page', url: `${base}/page.html`, expect: { status: 'ok', items: 1 } },
      { id: 'malformed', url: `${base}/malformed.xml`, expect: { status: /ok|failed/ } },
      { id: 'garbage', url: `${base}/garbage.xml`, expect: { status: 'failed', error: /pars|not .*feed|not a feed/i } },
      { id: 'oversize', url: `${base}/oversize.xml`, expect: { status: 'failed', error: new RegExp(`body larger than ${MAX_BYTES} bytes`) } },
      { id: 'gzip-bomb', url: `${base}/gzip-bomb.xml`, expect: { status: 'failed', error: new RegExp(`body larger than ${MAX_BYTES} bytes`) } },
      { id: 'empty-body', url: `${base}/empty.xml`, expect: { status: 'failed', error: /empty/ } },
      { id: 'no-items', url: `${base}/no-items.xml`, expect: { status: 'ok', items: 0 } },
      { id: 'billion-laughs', url: `${base}/billion-laughs.xml`, expect: { status: /ok|failed/ } },
      { id: 'xxe', url: `${base}/xxe.xml`, expect: { status: /ok|failed/ } },
      { id: 'control-chars', url: `${base}/control-chars.xml`, expect: { status: 'ok', items: 2 } },
      { id: 'wrong-encoding', url: `${base}/wrong-encoding.xml`, expect: { status: 'ok', items: 1 } },
      { id: 'declared-latin1', url: `${base}/declared-latin1.xml`, expect: { status: 'ok', items: 1 } },
      { id: 'bom', url: `${base}/bom.xml`, expect: { status: 'ok', items: 1 } },
      { id: 'rtl-emoji', url: `${base}/rtl-emoji.xml`, expect: { status: 'ok', items: 2 } },
      { id: 'hostile-items', url: `${base}/items.xml`, expect: { status: 'ok', items: 'some' } },
      { id: 'deep-markup', url: `${base}/deep-markup.xml`, expect: { status: 'ok', items: 1 } },
      { id: 'ssrf-metadata', url: `${base}/to-metadata`, expect: { status: 'failed', error: /refused to connect to http:\/\/169\.254\.169\.254\/.*allowPrivateAddresses/ } },
    ];

    // First pass: only the good feeds.
    const goodSources = goodUrls.map((url, n) => ({ id: `good-${n}`, name: `Good ${n}`, url }));
    writeConfig(goodSources);
    const first = await runCli(['run', '-c', join(dir, 'config.yaml')]);
    expect(first.code, first.stderr).toBe(0);
    beforeGuids = rssGuids(readFileSync(join(outputDir(), 'all/feed.xml'), 'utf8'));

    // The hostile pass: the good feeds have one new story each, and every bad source joins.
    round = 1;
    writeConfig([...goodSources, ...cases.map((c) => ({ id: c.id, name: `Case ${c.id}`, url: c.url }))]);
    hostileRun = await runCli(['run', '-c', join(dir, 'config.yaml')]);
    const listed = await runCli(['sources', '--json', '-c', join(dir, 'config.yaml')]);
    expect(listed.code, listed.stderr).toBe(0);
    rows = JSON.parse(listed.stdout);
    console.info(rows.map((r) => `${r.id}: ${r.status} ${r.items} items${r.error ? ` — ${r.error}` : ''}`).join('\n'));
    files = publishedFiles(outputDir());
  }, 120_000);

  afterAll(async () => {
    for (const t of drips) clearInterval(t);
    for (const s of [server, tls]) {
      s?.closeAllConnections();
      await new Promise<void>((resolve) => (s ? s.close(() => resolve()) : resolve()));
    }
    rmSync(dir, { recursive: true, force: true });
  });

  it('the first pass published the good feeds', () => {
    expect(beforeGuids.length).toBe(12);
  });

  it('the hostile pass completes with exit 0 and one summary line', () => {
    expect(hostileRun.code, hostileRun.stderr).toBe(0);
    const lines = hostileRun.stdout.split('\n').filter(Boolean).map((l) => JSON.parse(l) as { msg: string });
    expect(lines.filter((l) => l.msg === 'pass finished')).toHaveLength(1);
  });

  it('every bad source has a clear reason in `newsmux sources --json`', () => {
    const problems: string[] = [];
    for (const c of cases) {
      const row = rows.find((r) => r.id === c.id);
      if (!row) {
        problems.push(`${c.id}: no row`);
        continue;
      }
      const say = `${c.id}: ${JSON.stringify(row)}`;
      if (typeof c.expect.status === 'string' ? row.status !== c.expect.status : !c.expect.status.test(row.status)) problems.push(`${say} (status)`);
      if (c.expect.error && !c.expect.error.test(row.error ?? '')) problems.push(`${say} (error should match ${c.expect.error})`);
      if (row.status === 'failed' || row.status === 'gone') {
        if (!row.error || row.error.length < 10) problems.push(`${say} (a failed source needs a reason)`);
      }
      if (c.expect.items === 'some' ? row.items < 1 : c.expect.items !== undefined && row.items !== c.expect.items) problems.push(`${say} (items)`);
      if (c.expect.url && row.url !== c.expect.url) problems.push(`${say} (stored URL)`);
    }
    expect(problems).toEqual([]);
  });

  it('429 Retry-After and 410 push the next check out', () => {
    const now = Date.now();
    const due = (id: string) => Date.parse(rows.find((r) => r.id === id)?.nextDueAt ?? '');
    expect(due('http-429')).toBeGreaterThan(now + 50 * 60_000);
    expect(due('http-410')).toBeGreaterThan(now + 60 * 60_000);
  });

  it('the redirect into 169.254.169.254 and the external entities were never requested', () => {
    expect(requested.filter((u) => u.includes('xxe-probe'))).toEqual([]);
    expect(requested).toContain('/to-metadata');
    expect(requested).toContain('/linked/feed.xml');
  });

  it('the good feeds and the readable bad ones are published, every published file parses', () => {
    assertPublishedFilesValid(files);
    const all = files.get('all/feed.xml') ?? '';
    for (let n = 0; n < 3; n++) {
      for (const s of GOOD_SUBJECTS[n] as string[]) expect(all).toContain(s);
      expect(all).toContain(`Second round story ${n}`);
    }
    const json = files.get('all/feed.json') ?? '';
    const feed = JSON.parse(json) as { items: { id: string; title?: string; url?: string; content_html?: string; content_text?: string }[] };
    const titles = feed.items.map((i) => i.title ?? '');
    expect(titles).toContain('کراچی میں بارش 🌧️ اور سیلاب');
    expect(titles).toContain('مرحبا بالعالم 👋🏽 עברית 🇵🇰');
    expect(titles).toContain('Moved feed story about the new bridge');
    expect(titles).toContain('Linked feed story about the port strike');
    expect(titles).toContain('Byte order mark story about tea prices');
    expect(titles.some((t) => t.startsWith('Control') && t.includes('chars'))).toBe(true);
    // Latin-1 bytes under a declared UTF-8, not one of them UTF-8: read as windows-1252 (with a warning).
    expect(titles).toContain('Café crème brûlée story');
    // Markup nested past the sanitizer's depth keeps its words, not its tags.
    expect(feed.items.find((i) => i.title === 'Deeply nested story')?.content_html).toBe('Ferry service resumes in Chittagong');
    expect(json).not.toContain('root:x:0:0');
    expect(json).not.toContain('lollollol');
  });

  it('item edge cases: relative links resolved, dates handled, duplicate guid merged, no link, no title', () => {
    const feed = JSON.parse(files.get('all/feed.json') ?? '') as { items: { id: string; title?: string; url?: string; content_html?: string; date_published?: string }[] };
    const byTitle = (t: string) => feed.items.find((i) => (i.title ?? '').includes(t));
    const relative = byTitle('Relative links resolved');
    expect(relative?.url).toBe(`${base}/news/relative-story`);
    expect(relative?.content_html).toContain(`href="${base}/more/info"`);
    // Resolved against the item's link (its page), as a reader would.
    expect(relative?.content_html).toContain(`src="${base}/news/images/pic.jpg"`);
    for (const t of ['Story with no date at all', 'Story with an unparseable date', 'Story dated far in the future']) {
      const i = byTitle(t);
      expect(i, t).toBeDefined();
      // Never later than the pass itself: a future date must not pin a story to the top for centuries.
      expect(Date.parse(i?.date_published ?? ''), t).toBeLessThanOrEqual(Date.now() + 60_000);
    }
    expect(feed.items.filter((i) => (i.title ?? '').startsWith('Duplicate guid'))).toHaveLength(1);
    const noLink = byTitle('Story that has no link');
    expect(noLink).toBeDefined();
    const untitled = feed.items.find((i) => (i.content_html ?? '').includes('ferry service resumes'));
    expect(untitled?.title).toMatch(/ferry service/);
  });

  it('no hostile markup reaches any published file', () => {
    const forbidden = [/<script/i, /javascript:/i, /onerror\s*=/i, /onload\s*=/i, /<iframe/i, /<object/i, /expression\(/i, /data:text\/html/i];
    const found: string[] = [];
    for (let [path, content] of files) {
      if (!/\.(xml|json|html|opml)$/.test(path)) continue;
      // The subscribe page's own copy-button script is ours (and the only one allowed): take it out, then look.
      if (path.endsWith('.html')) content = content.split(COPY_SCRIPT).join('');
      // XML and HTML carry markup escaped inside text: decode one level so `&lt;script` counts too.
      const decoded = content.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&#x27;|&#39;/g, "'").replace(/&amp;/g, '&');
      for (const re of forbidden) {
        if (re.test(content)) found.push(`${path}: ${re}`);
        else if (re.test(decoded)) found.push(`${path}: ${re} (escaped)`);
      }
    }
    expect(found).toEqual([]);
    // Yet the readable part of those items is published.
    expect(files.get('all/feed.json')).toContain('Hostile content 0');
  });

  it('nothing published before the hostile pass disappears', () => {
    const after = new Set(rssGuids(files.get('all/feed.xml') ?? ''));
    expect(beforeGuids.filter((g) => !after.has(g))).toEqual([]);
  });
});
