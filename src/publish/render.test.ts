// Golden pairs: tests/fixtures/publish/README.md. Regenerate with UPDATE_GOLDEN=1 and review the diff.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Parser from 'rss-parser';
import { describe, expect, it } from 'vitest';
import type { PublishedItem, Section, SectionSummary } from '../core/index.js';
import { COPY_SCRIPT, STYLE } from './index-html.js';
import { type SiteOptions, renderIndexHtml, renderOpml, renderSectionFeeds, renderSectionFeedsWithProblems } from './index.js';

const FIXTURES = fileURLToPath(new URL('../../tests/fixtures/publish/', import.meta.url));
const UPDATE = process.env.UPDATE_GOLDEN === '1';

// sax ships no types; strict mode is what rss-parser's xml2js uses, so "parses here" means "parses there".
const sax = createRequire(import.meta.url)('sax') as {
  parser(strict: boolean, options?: { xmlns?: boolean }): { onerror: (e: Error) => void; write(s: string): { close(): void } };
};

function assertWellFormedXml(xml: string): void {
  const parser = sax.parser(true, { xmlns: true });
  parser.onerror = (err) => {
    throw err;
  };
  parser.write(xml).close();
  expect(xml).not.toMatch(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/);
}

function golden(file: string, actual: string): void {
  if (UPDATE) {
    writeFileSync(file, actual);
    return;
  }
  expect(actual).toBe(readFileSync(file, 'utf8'));
}

interface FeedCase {
  readonly site: SiteOptions;
  readonly section: Section;
  readonly items: PublishedItem[];
  readonly generatedAt?: number;
}

function loadJson<T>(file: string): T {
  return JSON.parse(readFileSync(file, 'utf8')) as T;
}

const feedCases = readdirSync(path.join(FIXTURES, 'feeds'))
  .filter((f) => f.endsWith('.input.json'))
  .map((f) => ({ name: f.replace(/\.input\.json$/, ''), file: path.join(FIXTURES, 'feeds', f) }));

const pageCases = readdirSync(path.join(FIXTURES, 'pages'))
  .filter((f) => f.endsWith('.input.json'))
  .map((f) => ({ name: f.replace(/\.input\.json$/, ''), file: path.join(FIXTURES, 'pages', f) }));

const parser = new Parser();

describe('section feeds (golden pairs under tests/fixtures/publish/feeds)', () => {
  it.each(feedCases)('$name', async ({ name, file }) => {
    const input = loadJson<FeedCase>(file);
    const out = renderSectionFeeds(input.section, input.items, input.site, input.generatedAt);
    for (const [format, content] of Object.entries(out)) golden(path.join(FIXTURES, 'feeds', `${name}.${format}`), content);

    // Readable by what readers use: strict XML, rss-parser, and JSON Feed 1.1.
    assertWellFormedXml(out['feed.xml']);
    assertWellFormedXml(out['atom.xml']);
    const rss = await parser.parseString(out['feed.xml']);
    const atom = await parser.parseString(out['atom.xml']);
    const json = JSON.parse(out['feed.json']) as { version: string; items: { id: string }[] };
    expect(json.version).toBe('https://jsonfeed.org/version/1.1');
    expect(rss.items.length).toBe(json.items.length);
    expect(atom.items.length).toBe(json.items.length);
    expect(rss.items.map((i) => i.guid)).toEqual(json.items.map((i) => i.id));
    expect(atom.items.map((i) => i.id)).toEqual(json.items.map((i) => `urn:newsmux:${i.id}`));

    // The same stories render the same bytes: nothing depends on the clock.
    expect(renderSectionFeeds(input.section, input.items, input.site, input.generatedAt)).toEqual(out);
  });
});

describe('subscribe page and OPML (golden pairs under tests/fixtures/publish/pages)', () => {
  it.each(pageCases)('$name', ({ name, file }) => {
    const input = loadJson<{ site: SiteOptions; entries: { section: Section; summary: SectionSummary }[] }>(file);
    const html = renderIndexHtml(input.entries, input.site);
    const opml = renderOpml(input.entries, input.site);
    golden(path.join(FIXTURES, 'pages', `${name}.index.html`), html);
    golden(path.join(FIXTURES, 'pages', `${name}.feeds.opml`), opml);
    assertWellFormedXml(opml);
    expect(renderIndexHtml([...input.entries].reverse(), input.site)).toBe(html);
    expect(renderOpml([...input.entries].reverse(), input.site)).toBe(opml);
    for (const { section } of input.entries) {
      expect(html).toContain(`href="${section.path}/feed.xml"`);
      expect(html).toContain(`href="${section.path}/atom.xml"`);
      expect(html).toContain(`href="${section.path}/feed.json"`);
      expect(html).toContain(`<link rel="alternate" type="application/rss+xml" title="newsmux: ${section.title.replace(/&/g, '&amp;')}" href="${input.site.baseUrl}${section.path}/feed.xml">`);
      expect(opml).toContain(`xmlUrl="${input.site.baseUrl}${section.path}/feed.xml"`);
    }
    expect(html).toContain('<meta name="viewport" content="width=device-width, initial-scale=1">');
    // No external assets: every src/href that is not a feed link, an anchor or an article is relative to the site.
    expect(html).not.toMatch(/<(link|script|img)[^>]+(src|href)="https?:\/\/(?!news\.example|localhost)/);
  });
});

const site: SiteOptions = { outputDir: '/unused', baseUrl: 'https://news.example/', title: 'newsmux' };
const allSection: Section = {
  kind: 'all',
  id: 'all',
  path: 'all',
  title: 'All stories',
  description: 'Every story',
  filter: { countries: [], topics: [] },
};

function story(over: Partial<PublishedItem> & { id: string }): PublishedItem {
  return {
    url: `https://outlet.example/news/${over.id}`,
    title: `Story ${over.id}`,
    publishedAt: Date.UTC(2024, 4, 1),
    updatedAt: Date.UTC(2024, 4, 1),
    sourceId: 'outlet',
    sourceName: 'Outlet',
    sourceFeedUrl: 'https://outlet.example/feed',
    tags: { countries: ['AF'], topics: ['conflict'] },
    alsoReportedBy: [],
    ...over,
  };
}

// Payloads from the usual XSS cheat sheets, in every field a story has.
const XSS = [
  '<script>alert("xss")</script>',
  '<img src=x onerror=alert(1)>',
  '<svg><script>alert(1)</script></svg>',
  '<svg onload=alert(1)>',
  '<a href="javascript:alert(1)">click</a>',
  '<a href="JaVaScRiPt:alert(1)">click</a>',
  '<a href="&#106;avascript:alert(1)">click</a>',
  '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">click</a>',
  '<iframe src="https://evil.example/"></iframe>',
  '<object data="https://evil.example/x.swf"></object>',
  '<embed src="https://evil.example/x.swf">',
  '<div style="background:url(javascript:alert(1));width:expression(alert(1))">css</div>',
  '<style>body{background:red}</style>',
  '<form action="https://evil.example/"><input name=x></form>',
  '<img src="data:image/svg+xml,<svg onload=alert(1)>">',
  '<p onclick="alert(1)">p</p>',
  '&lt;script&gt;alert(1)&lt;/script&gt; and &lt;img src=x onerror=alert(1)&gt; as text',
  ']]><script>alert(1)</script><![CDATA[',
  ']]>]]><script>alert(2)</script>',
  'javascript:alert(1) written as text, and onerror=alert(1) too',
  '<a href="vbscript:msgbox(1)">vb</a>',
  '<base href="https://evil.example/">',
  '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
  // Last: an unclosed <style> swallows what follows.
  '<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>',
];
const hostileHtml = XSS.join('\n');
const hostileText = 'Breaking <script>alert(1)</script> <img src=x onerror=alert(1)> javascript:alert(1) ]]> ]]> onload=x';

const hostileItems: PublishedItem[] = [
  story({
    id: 'hostile00001',
    title: hostileText,
    summaryHtml: hostileHtml,
    contentHtml: hostileHtml,
    author: '<script>alert(1)</script>Eve onerror=alert(1)',
    imageUrl: 'javascript:alert(1)',
    enclosure: { url: 'data:text/html,<script>alert(1)</script>', type: 'text/html"><script>alert(1)</script>' },
    sourceName: 'Evil <script>alert(1)</script> Outlet',
    sourceFeedUrl: 'https://evil.example/feed?x="><script>alert(1)</script>',
    alsoReportedBy: [
      { sourceId: 'mirror', sourceName: '<img src=x onerror=alert(1)>Mirror', url: 'javascript:alert(1)', title: 'x' },
      { sourceId: 'copy', sourceName: 'Copy " onmouseover="alert(1)', url: 'https://copy.example/a?q=javascript:alert(1)&b="><script>', title: 'y' },
    ],
  }),
  story({ id: 'hostile00002', url: 'javascript:alert(1)', title: 'A link to a script' }),
  story({ id: 'hostile00003', url: 'data:text/html,<script>alert(1)</script>', title: 'A link to a data URL' }),
  story({ id: 'hostile00004', url: 'https://fine.example/a', title: '&lt;script&gt;alert(1)&lt;/script&gt;' }),
  story({ id: 'hostile00005', title: '\u0000\u0001\u0008\u000b\u000c\u001f\ufffe\uffff\ud800 control characters' }),
  // Each payload on its own as well, so that one cannot hide another.
  ...XSS.map((payload, i) =>
    story({ id: `payload${String(i).padStart(5, '0')}`, title: payload, summaryHtml: payload, contentHtml: `<p>${payload}</p>`, author: payload }),
  ),
];

const FORBIDDEN = [/<script/i, /javascript:/i, /vbscript:/i, /onerror\s*=/i, /onload\s*=/i, /onclick\s*=/i, /onmouseover\s*=/i, /<iframe/i, /<object/i, /<embed/i, /<svg/i, /<style/i, /<form/i, /<base/i, /<meta/i, /expression\(/i, /data:text\/html/i];

function expectNothingHostile(label: string, text: string): void {
  for (const pattern of FORBIDDEN) expect(text, `${label} contains ${pattern}`).not.toMatch(pattern);
}

/** Every string value anywhere in a parsed structure. */
function strings(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap(strings);
  if (value !== null && typeof value === 'object') return Object.values(value).flatMap(strings);
  return [];
}

describe('hostile stories', () => {
  const { files, problems } = renderSectionFeedsWithProblems(allSection, hostileItems, site);

  it('reach no format, neither in the bytes nor in what a parser reads back', async () => {
    for (const [name, content] of Object.entries(files)) expectNothingHostile(name, content);
    assertWellFormedXml(files['feed.xml']);
    assertWellFormedXml(files['atom.xml']);
    const rss = await parser.parseString(files['feed.xml']);
    const atom = await parser.parseString(files['atom.xml']);
    const json: unknown = JSON.parse(files['feed.json']);
    for (const [name, parsed] of [['rss', rss], ['atom', atom], ['json', json]] as const) {
      for (const s of strings(parsed)) expectNothingHostile(`parsed ${name}`, s);
    }
    expect(rss.items.length).toBe(hostileItems.length - 2);
    expect(atom.items.length).toBe(hostileItems.length - 2);
  });

  it('drop a story whose link is a script or data URL, and keep the rest of the section', () => {
    const dropped = problems.filter((p) => p.dropped).map((p) => p.itemId);
    expect(dropped.sort()).toEqual(['hostile00002', 'hostile00003']);
    const json = JSON.parse(files['feed.json']) as { items: { id: string; title: string; image?: string; attachments?: unknown }[] };
    expect(json.items.map((i) => i.id).filter((id) => id.startsWith('hostile')).sort()).toEqual(['hostile00001', 'hostile00004', 'hostile00005']);
    const first = json.items.find((i) => i.id === 'hostile00001');
    expect(first?.image).toBeUndefined();
    expect(first?.attachments).toBeUndefined();
    expect(json.items.find((i) => i.id === 'hostile00005')?.title).toBe('control characters');
  });

  it('keep harmless text readable', () => {
    const json = JSON.parse(files['feed.json']) as { items: { id: string; title: string; content_html: string }[] };
    const first = json.items.find((i) => i.id === 'hostile00001');
    expect(first?.title).toContain('Breaking');
    expect(first?.content_html).toContain('Also reported by: ');
    expect(first?.content_html).toContain('<a href="https://copy.example/a?q=javascript%3Aalert(1)&amp;b=%22%3E%3Cscript%3E">Copy &quot; onmouseover\uFF1D&quot;alert(1)</a>');
  });

  it('reach neither the subscribe page nor the OPML', () => {
    const hostileSection: Section = {
      kind: 'custom',
      id: 'evil',
      path: 'section/evil',
      title: '<script>alert(1)</script>Evil " onmouseover="alert(1)',
      description: '<img src=x onerror=alert(1)> javascript:alert(1)',
      filter: { countries: ['AF'], topics: ['conflict'] },
    };
    const entries = [
      {
        section: hostileSection,
        summary: {
          path: hostileSection.path,
          itemCount: 2,
          updatedAt: Date.UTC(2024, 4, 1),
          latestTitles: [
            { title: hostileText, url: 'javascript:alert(1)' },
            { title: '<img src=x onerror=alert(1)>', url: 'https://fine.example/?x="><script>alert(1)</script>' },
          ],
        },
      },
    ];
    const hostileSite = { ...site, title: 'news<script>alert(1)</script>mux' };
    const html = renderIndexHtml(entries, hostileSite);
    const opml = renderOpml(entries, hostileSite);
    expect(html.split(COPY_SCRIPT)).toHaveLength(2);
        // Minus the page's own script, style and meta elements, nothing of the kind is left.
    const own = html.replace(COPY_SCRIPT, '').replace(STYLE, '').replace(/<meta (charset|name)="[^"<>]*"( content="[^"<>]*")?>/g, '');
    expect(own).not.toContain('<meta');
    expectNothingHostile('index.html', own);
    expectNothingHostile('feeds.opml', opml);
    assertWellFormedXml(opml);
  });
});

describe('links and URLs', () => {
  it('resolve a relative link against the source feed, and drop only a story whose link is unusable', async () => {
    const items = [
      story({ id: 'relative0001', url: '/news/relative' }),
      story({ id: 'invalid00002', url: 'http://exa mple.com/', sourceFeedUrl: 'nonsense' }),
      story({ id: 'fine00000003' }),
    ];
    const { files, problems } = renderSectionFeedsWithProblems(allSection, items, site);
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ itemId: 'invalid00002', field: 'url', dropped: true }),
        expect.objectContaining({ itemId: 'invalid00002', field: 'sourceFeedUrl', dropped: false }),
      ]),
    );
    const rss = await parser.parseString(files['feed.xml']);
    // Same time: ties are ordered by id.
    expect(rss.items.map((i) => i.link)).toEqual(['https://outlet.example/news/fine00000003', 'https://outlet.example/news/relative']);
  });

  it('order stories newest first and take the feed time from the newest story, not the clock', async () => {
    const items = [
      story({ id: 'older0000001', publishedAt: Date.UTC(2024, 0, 1), updatedAt: Date.UTC(2024, 0, 3) }),
      story({ id: 'newer0000002', publishedAt: Date.UTC(2024, 0, 2), updatedAt: Date.UTC(2024, 0, 2) }),
    ];
    const files = renderSectionFeeds(allSection, items, site);
    const json = JSON.parse(files['feed.json']) as { items: { id: string }[] };
    expect(json.items.map((i) => i.id)).toEqual(['newer0000002', 'older0000001']);
    expect(files['feed.xml']).toContain('<lastBuildDate>Wed, 03 Jan 2024 00:00:00 GMT</lastBuildDate>');
    expect(files['atom.xml']).toContain('<updated>2024-01-03T00:00:00.000Z</updated>');
  });

  it('write self links, guid isPermaLink="false", <source url> and categories', async () => {
    const files = renderSectionFeeds(allSection, [story({ id: 'abc123def456' })], site);
    expect(files['feed.xml']).toContain('<atom:link href="https://news.example/all/feed.xml" rel="self" type="application/rss+xml"/>');
    expect(files['feed.xml']).toContain('<guid isPermaLink="false">abc123def456</guid>');
    expect(files['feed.xml']).toContain('<source url="https://outlet.example/feed">Outlet</source>');
    expect(files['atom.xml']).toContain('<link rel="self" href="https://news.example/all/atom.xml"/>');
    const json = JSON.parse(files['feed.json']) as { feed_url: string; home_page_url: string; items: { tags: string[]; _newsmux: unknown }[] };
    expect(json.feed_url).toBe('https://news.example/all/feed.json');
    expect(json.home_page_url).toBe('https://news.example/#all');
    expect(json.items[0]?.tags).toEqual(['Afghanistan', 'Conflict, war and peace']);
    expect(json.items[0]?._newsmux).toEqual({
      cluster: 'abc123def456',
      source: { id: 'outlet', name: 'Outlet', feed_url: 'https://outlet.example/feed' },
      sources: [{ id: 'outlet', name: 'Outlet', url: 'https://outlet.example/news/abc123def456' }],
      countries: ['AF'],
      topics: ['conflict'],
    });
    const rss = await parser.parseString(files['feed.xml']);
    expect(rss.items[0]?.categories).toEqual(['Afghanistan', 'Conflict, war and peace']);
  });
});

// Debian's python3-feedparser, the reader CI uses (tests/e2e): no error (bozo 0) on what we write, hostile or not.
const PYTHON = '/usr/bin/python3';
const haveFeedparser = (() => {
  try {
    execFileSync(PYTHON, ['-c', 'import feedparser'], { stdio: 'ignore' });
    return true;
  } catch {
    return false; // not installed here; tests/e2e reports it and CI installs it
  }
})();

describe.skipIf(!haveFeedparser)('Python feedparser', () => {
  it('reads every golden and hostile feed with bozo = 0', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'newsmux-publish-fp-'));
    try {
      const files: string[] = [];
      const outputs = [
        ...feedCases.map(({ name, file }) => {
          const input = loadJson<FeedCase>(file);
          return { name, out: renderSectionFeeds(input.section, input.items, input.site, input.generatedAt) };
        }),
        { name: 'hostile', out: renderSectionFeeds(allSection, hostileItems, site) },
      ];
      for (const { name, out } of outputs) {
        for (const format of ['feed.xml', 'atom.xml'] as const) {
          const file = path.join(dir, `${name}.${format}`);
          writeFileSync(file, out[format]);
          files.push(file);
        }
      }
      const script = [
        'import json, sys, feedparser',
        'out = {}',
        'for p in sys.argv[1:]:',
        '    d = feedparser.parse(open(p, "rb").read())',
        '    out[p] = {"bozo": int(bool(d.bozo)), "error": str(d.get("bozo_exception")) if d.bozo else None, "entries": len(d.entries),',
        '              "text": json.dumps([[e.get("title"), e.get("summary"), [c.value for c in e.get("content", [])]] for e in d.entries])}',
        'print(json.dumps(out))',
      ].join('\n');
      const report = JSON.parse(execFileSync(PYTHON, ['-c', script, ...files], { encoding: 'utf8' })) as Record<string, { bozo: number; error: string | null; text: string }>;
      for (const file of files) {
        expect(report[file], file).toMatchObject({ bozo: 0, error: null });
        expectNothingHostile(`feedparser ${path.basename(file)}`, report[file]?.text ?? '');
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
