import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { ItemKeyMode, ParsedFeed, RawItem } from '../core/index.js';
import { normalizeFeed } from './index.js';

const NOW = Date.UTC(2025, 5, 15, 12, 0, 0);
const DAY = 86_400_000;
const ctx = { sourceId: 'dawn', feedUrl: 'https://www.dawn.example/feeds/home', now: NOW };

const feedOf = (items: Partial<RawItem>[], extra: Partial<ParsedFeed> = {}): ParsedFeed => ({
  format: 'rss2',
  items: items.map((i) => ({ categories: [], ...i })),
  warnings: [],
  ...extra,
});

/** n items with good guids and links; `patch` edits item i. */
function items(n: number, patch: (i: number) => Partial<RawItem> = () => ({})): Partial<RawItem>[] {
  return Array.from({ length: n }, (_, i) => ({
    guid: `g-${i}`,
    link: `https://www.dawn.example/news/${i}`,
    title: `Story ${i}`,
    ...patch(i),
  }));
}

describe('normalizeFeed: identity', () => {
  const cases: { name: string; raw: Partial<RawItem>[]; previous?: ItemKeyMode; mode: ItemKeyMode; warns: RegExp | null }[] = [
    { name: 'good guids: guid, quietly', raw: items(40), mode: 'guid', warns: null },
    { name: 'one blank guid in 40 (2.5%): still guid', raw: items(40, (i) => (i === 3 ? { guid: '  ' } : {})), mode: 'guid', warns: null },
    { name: 'three blank guids in 40 (7.5%): link, with a warning', raw: items(40, (i) => (i < 3 ? { guid: '' } : {})), mode: 'link', warns: /identified by link/ },
    { name: 'every item has the same guid: link', raw: items(10, () => ({ guid: 'same' })), mode: 'link', warns: /identified by link/ },
    {
      name: 'guids and links both repeated: link-title',
      raw: items(10, (i) => ({ guid: 'same', link: i % 2 ? 'https://www.dawn.example/live' : 'https://www.dawn.example/live#now' })),
      mode: 'link-title',
      warns: /identified by link-title/,
    },
    { name: 'a previous link mode is kept while links work', raw: items(10), previous: 'link', mode: 'link', warns: null },
    {
      name: 'a previous link mode gives way when links stop working',
      raw: items(10, () => ({ link: 'https://www.dawn.example/' })),
      previous: 'link',
      mode: 'guid',
      warns: /switched from link to guid/,
    },
    { name: 'a previous guid mode switches when guids go blank', raw: items(10, (i) => (i < 5 ? { guid: undefined } : {})), previous: 'guid', mode: 'link', warns: /switched from guid to link/ },
    { name: 'an empty feed keeps the previous mode', raw: [], previous: 'link-title', mode: 'link-title', warns: null },
  ];

  it.each(cases)('$name', ({ raw, previous, mode, warns }) => {
    const out = normalizeFeed(feedOf(raw), { ...ctx, previousKeyMode: previous });
    expect(out.itemKeyMode).toBe(mode);
    const text = out.warnings.join('\n');
    if (warns) expect(text).toMatch(warns);
    else expect(text).not.toMatch(/identified by|switched/);
    // Items neither vanish nor multiply, whatever the mode (the link-title case has 10 distinct titles).
    expect(out.items).toHaveLength(raw.length);
    expect(new Set(out.items.map((i) => i.id)).size).toBe(raw.length);
  });

  it('makes the id from the source and the item key: 16 hex of sha256', () => {
    const [item] = normalizeFeed(feedOf([{ guid: ' g-1 ', title: 't' }]), ctx).items;
    expect(item!.itemKey).toBe('g-1');
    expect(item!.id).toBe(createHash('sha256').update('dawn\ng-1').digest('hex').slice(0, 16));
    const other = normalizeFeed(feedOf([{ guid: 'g-1', title: 't' }]), { ...ctx, sourceId: 'geo' }).items[0]!;
    expect(other.id).not.toBe(item!.id);
  });

  it('gives the same ids on every pass', () => {
    const a = normalizeFeed(feedOf(items(5)), ctx).items.map((i) => i.id);
    const b = normalizeFeed(feedOf(items(5)), { ...ctx, now: NOW + DAY }).items.map((i) => i.id);
    expect(b).toEqual(a);
  });

  it('merges items with the same guid into the first one', () => {
    const out = normalizeFeed(feedOf([...items(25), { guid: 'g-3', link: 'https://www.dawn.example/news/3?v=2', title: 'Story 3 again' }]), ctx);
    expect(out.items).toHaveLength(25);
    expect(out.items.find((i) => i.guid === 'g-3')!.title).toBe('Story 3');
    expect(out.warnings.join('\n')).toMatch(/merged 1 repeated item/);
  });

  it('keeps items that have only a guid, making a title from the text', () => {
    const out = normalizeFeed(
      feedOf([
        { guid: 'urn:1', summary: '<p>Water was delivered to 24,000 people in Jacobabad district on Saturday, the agencies said in a joint statement.</p>' },
        { guid: 'urn:2' },
      ]),
      ctx,
    );
    expect(out.items.map((i) => i.title)).toEqual([
      'Water was delivered to 24,000 people in Jacobabad district on Saturday, the agencies said in a…',
      'Untitled',
    ]);
    expect(out.items.every((i) => i.url === undefined)).toBe(true);
  });
});

describe('normalizeFeed: fields', () => {
  const one = (raw: Partial<RawItem>, extra: Partial<ParsedFeed> = {}, c: Partial<typeof ctx & { language: string }> = {}) =>
    normalizeFeed(feedOf([{ guid: 'g', title: 't', ...raw }], extra), { ...ctx, ...c }).items[0]!;

  it('dates: missing → now, more than a day ahead → now, within a day kept, updated in the future dropped', () => {
    expect(one({}).publishedAt).toBe(NOW);
    expect(one({ published: new Date(NOW + 2 * DAY).toUTCString() }).publishedAt).toBe(NOW);
    expect(one({ published: new Date(NOW + DAY / 2).toISOString() }).publishedAt).toBe(NOW + DAY / 2);
    expect(one({ published: '2025-06-01T00:00:00Z', updated: '2030-01-01T00:00:00Z' }).updatedAt).toBeUndefined();
    expect(one({ updated: '2025-06-01T00:00:00Z' }).publishedAt).toBe(Date.UTC(2025, 5, 1));
  });

  it('link: canonical, else the guid when it is a permalink URL', () => {
    expect(one({ link: '/news/1?utm_source=rss#top' }).url).toBe('https://www.dawn.example/news/1');
    expect(one({ guid: 'https://www.dawn.example/p/9' }).url).toBe('https://www.dawn.example/p/9');
    expect(one({ guid: 'https://www.dawn.example/?p=9', guidIsPermaLink: false }).url).toBeUndefined();
    expect(one({ link: 'javascript:alert(1)' }).url).toBeUndefined();
  });

  it('relative links in content resolve against the article, or the xml:base when there is one', () => {
    expect(one({ link: 'https://www.dawn.example/news/2025/a', content: '<a href="b">b</a>' }).contentHtml).toBe('<a href="https://www.dawn.example/news/2025/b">b</a>');
    expect(one({ link: 'https://www.dawn.example/news/a', baseUrl: 'https://cdn.example/x/', content: '<img src="i.jpg">' }).contentHtml).toBe('<img src="https://cdn.example/x/i.jpg" />');
  });

  it('categories: plain, trimmed, de-duplicated without regard to case', () => {
    expect(one({ categories: [' Pakistan ', 'pakistan', 'World &amp; Region', '', '<b>Sport</b>'] }).categories).toEqual(['Pakistan', 'World & Region', 'Sport']);
  });

  it('image: media image first, then an image enclosure, then the first <img>', () => {
    expect(one({ imageUrl: '/m.jpg', content: '<img src="/c.jpg">' }).imageUrl).toBe('https://www.dawn.example/m.jpg');
    expect(one({ enclosure: { url: '/e.png', type: 'image/png' }, content: '<img src="/c.jpg">' }).imageUrl).toBe('https://www.dawn.example/e.png');
    expect(one({ content: '<p>x</p><img src="/c.jpg?a=1&amp;b=2">' }).imageUrl).toBe('https://www.dawn.example/c.jpg?a=1&b=2');
    expect(one({ enclosure: { url: '/a.mp3', type: 'audio/mpeg', length: 12 } }).enclosure).toEqual({ url: 'https://www.dawn.example/a.mp3', type: 'audio/mpeg', length: 12 });
  });

  it('author: plain text; language: the item, else the source, else the feed', () => {
    expect(one({ author: 'Staff &amp; <i>Agencies</i>' }).author).toBe('Staff & Agencies');
    expect(one({ language: 'ur' }, { language: 'en' }, { language: 'ps' }).language).toBe('ur');
    expect(one({}, { language: 'en' }, { language: 'ps' }).language).toBe('ps');
    expect(one({}, { language: 'en' }).language).toBe('en');
  });

  it('contentHash: stable for an undated item across passes, changed by an edit', () => {
    const a = one({ summary: 'x' });
    expect(normalizeFeed(feedOf([{ guid: 'g', title: 't', summary: 'x' }]), { ...ctx, now: NOW + DAY }).items[0]!.contentHash).toBe(a.contentHash);
    expect(one({ summary: 'x', title: 't2' }).contentHash).not.toBe(a.contentHash);
    expect(one({ summary: 'y' }).contentHash).not.toBe(a.contentHash);
  });

  it('strips control characters from every text field', () => {
    const item = one({ title: 'A\u0001B\u0096C', author: 'D\u0007', categories: ['E\u0000'], summary: 'F\u0002' });
    expect([item.title, item.author, item.categories[0], item.summaryText]).toEqual(['AB–C', 'D', 'E', 'F']);
  });

  it('does not modify its input', () => {
    const raw = Object.freeze({ guid: 'g', title: 't', categories: Object.freeze(['a']) as string[] });
    const feed = Object.freeze(feedOf([raw]));
    expect(() => normalizeFeed(feed, ctx)).not.toThrow();
  });

  it('gives the feed title as plain text', () => {
    expect(normalizeFeed(feedOf([], { title: 'Dawn &#8211; <b>Home</b>' }), ctx).feedTitle).toBe('Dawn – Home');
  });
});

describe('normalizeFeed: an archive feed', () => {
  it('reads only the newest maxItems items, in feed order, undated ones counting as new, and says so', () => {
    const hoursAgo = [5, 1, 30, undefined, 2, 48];
    const feed = feedOf(items(6, (i) => (hoursAgo[i] === undefined ? {} : { published: new Date(NOW - (hoursAgo[i] as number) * 3_600_000).toUTCString() })));
    const out = normalizeFeed(feed, { ...ctx, maxItems: 3 });
    expect(out.items.map((i) => i.title)).toEqual(['Story 1', 'Story 3', 'Story 4']);
    expect(out.warnings).toContain('normalize: the feed has 6 items; read the newest 3 (fetch.maxItemsPerFeed)');
    expect(normalizeFeed(feed, { ...ctx, maxItems: 6 }).items).toHaveLength(6);
  });
});

describe('normalizeFeed: hostile fields', () => {
  it('keeps the text of a content nested too deep to sanitize, and says so once for the feed', () => {
    const deep = `${'<div>'.repeat(50_000)}Quake hits Herat`;
    const out = normalizeFeed(feedOf(items(2, () => ({ content: deep }))), ctx);
    expect(out.items.map((i) => i.contentText)).toEqual(['Quake hits Herat', 'Quake hits Herat']);
    expect(out.warnings).toContain('normalize: 2 summary or content field(s) nest HTML more than 256 deep; kept as plain text');
  });

  it('cuts a title at a word within 500 characters, and reads no more of a megabyte-long title or author than that needs', () => {
    const words = 'Floods in Sindh displace thousands '.repeat(30_000);
    const out = normalizeFeed(feedOf([{ guid: 'g', title: words, author: `<b>${words}</b>`, categories: [words] }]), ctx).items[0]!;
    expect(out.title.length).toBeLessThanOrEqual(501);
    expect(out.title).toMatch(/^Floods in Sindh displace thousands Floods .* in…$/);
    expect(out.author?.length).toBeLessThanOrEqual(200);
    expect(out.author).toMatch(/^Floods in Sindh/);
    expect(out.categories[0]?.length).toBeLessThanOrEqual(200);
  });

  it('cuts a content longer than 256 KB before a tag, closing what the cut left open, and says so', () => {
    const paragraph = (i: number) => `<p>Paragraph ${i} on the <b>Karachi</b> port strike &amp; its costs.</p>`;
    const content = Array.from({ length: 20_000 }, (_, i) => paragraph(i)).join('\n');
    const out = normalizeFeed(feedOf([{ guid: 'g', title: 't', content }]), ctx);
    const html = out.items[0]!.contentHtml!;
    expect(html.length).toBeLessThanOrEqual(256 * 1024);
    expect(html.length).toBeGreaterThan(128 * 1024);
    expect(html.startsWith(paragraph(0))).toBe(true);
    expect(html).toMatch(/<\/p>$/);
    expect(out.warnings).toContain('normalize: 1 summary or content field(s) longer than 256 KB; cut there');
  });
});
