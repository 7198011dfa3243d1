/**
 * Hostile shapes of one feed, each about 2 MB (a fifth of the default `fetch.maxBytes`): huge fields, deep nesting,
 * millions of elements, attributes or entities. Each goes through the feed thread's whole job (parse → normalize →
 * tag → sketch) and must come out with its item: not lost to an exception, not stuck. Every one of these held a feed
 * thread for minutes, ran out of stack or took gigabytes of heap before its bound was added; at 2 MB a quadratic path
 * again would overrun the test's deadline.
 */
import { describe, expect, it } from 'vitest';
import { processFeed } from '../../src/cli/process-feed.js';
import { createTagger } from '../../src/tag/index.js';

const SIZE = 2 * 1024 * 1024;
const tagger = createTagger({});
const NS = 'xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:media="http://search.yahoo.com/mrss/"';
const rss = (inner: string) => `<?xml version="1.0"?><rss version="2.0" ${NS}><channel><title>x</title><item>${inner}</item></channel></rss>`;
const fill = (unit: string) => unit.repeat(Math.floor(SIZE / unit.length));
const words = fill('Kabul flood Pakistan minister said the 2,300 Dhaka ');
const ok = '<title>Floods in Sindh</title><link>https://desk.example/1</link>';

const payloads: Record<string, string> = {
  'a title of megabytes': rss(`<title>${words}</title><link>https://desk.example/1</link>`),
  'an author line of megabytes without a parenthesis': rss(`${ok}<author>${words}</author>`),
  'a dc:creator of megabytes': rss(`${ok}<dc:creator>${words}</dc:creator>`),
  'a description of megabytes': rss(`${ok}<description>${words}</description>`),
  'a content of one word of megabytes': rss(`${ok}<content:encoded>${'a'.repeat(SIZE)}</content:encoded>`),
  'unclosed elements nested in a description': rss(`${ok}<description>${fill('<a>')}</description>`),
  'unclosed tags nested in HTML content': rss(`${ok}<content:encoded><![CDATA[${fill('<div>')}]]></content:encoded>`),
  'well-nested HTML a million deep': rss(`${ok}<content:encoded><![CDATA[${fill('<b>')}x${fill('</b>')}]]></content:encoded>`),
  'an XHTML Atom content nested deep': `<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"><title>x</title><entry><title>t</title><id>1</id><content type="xhtml">${fill('<div xmlns="http://www.w3.org/1999/xhtml">')}</content></entry></feed>`,
  'one start tag with a million attributes': rss(`${ok}<content:encoded><![CDATA[<p ${fill('a="1" ')}>x</p>]]></content:encoded>`),
  'an attribute value of megabytes with a reference in it': rss(`${ok}<content:encoded><![CDATA[<a title="&amp;${fill('x y')}" href="/a">k</a>]]></content:encoded>`),
  'a million escaped tags': rss(`${ok}<description>${fill('&amp;lt;p&amp;gt;')}</description>`),
  'a million numeric references': rss(`<title>${fill('&amp;#8211;')}</title><link>https://desk.example/1</link><description>${fill('&amp;#8211;')}</description>`),
  'a million comments': rss(`${ok}<content:encoded><![CDATA[${fill('<!-- x -->')}]]></content:encoded>`),
  'a million unclosed attribute quotes': rss(`${ok}<content:encoded><![CDATA[${fill('<a href="')}]]></content:encoded>`),
  'a million images with srcset': rss(`${ok}<content:encoded><![CDATA[${fill('<img src="/a.jpg" srcset="a.jpg 1x, b.jpg 2x">')}]]></content:encoded>`),
  'a million categories': rss(`${ok}${fill('<category>Pakistan</category>')}`),
  'a million media:content elements': rss(`${ok}${fill('<media:content url="https://desk.example/i.jpg" medium="image"/>')}`),
  'a million empty elements with attributes': rss(`${ok}${fill('<x:y a="1" b="2"/>')}`),
  'a pubDate of megabytes': rss(`${ok}<pubDate>Mon, 01 Jan 2024 ${fill(' 1')}</pubDate>`),
  'a link of megabytes': rss(`<title>t</title><link>https://desk.example/${fill('a/')}</link>`),
  'an enclosure URL of megabytes': rss(`${ok}<enclosure url="https://desk.example/${'a'.repeat(SIZE)}.jpg" type="image/jpeg" length="1"/>`),
  'a guid of megabytes': rss(`<title>t</title><guid>${'g'.repeat(SIZE)}</guid><description>d</description>`),
  'whitespace runs of megabytes': rss(`${ok}<description>a${fill(' \n\t ')}b</description>`),
  'a million apostrophes between letters': rss(`<title>${fill("a'")}</title><link>https://desk.example/1</link><description>${fill("a'")}</description>`),
  'a million figures': rss(`${ok}<description>${fill('1,234.5 ')}</description>`),
  'a run of megabytes of digits': rss(`<title>${'9'.repeat(100_000)}</title><link>https://desk.example/1</link><description>${'9'.repeat(SIZE)}</description>`),
  'a million sentence ends': rss(`${ok}<description>${fill('.!?:;')}</description>`),
  'a million agency datelines': rss(`${ok}<content:encoded>${fill('KABUL (Reuters) - ')}</content:encoded>`),
  'a JSON Feed item with megabytes of nested HTML': JSON.stringify({ version: 'https://jsonfeed.org/version/1.1', title: 'x', items: [{ id: '1', title: 'Floods', content_html: fill('<div>') }] }),
  'a JSON Feed item with arrays nested a million deep': `{"version":"https://jsonfeed.org/version/1.1","title":"x","items":[{"id":"1","title":"Floods","x":${'['.repeat(SIZE / 2)}${']'.repeat(SIZE / 2)}}]}`,
};

describe('a feed of one hostile item keeps its item', () => {
  it.each(Object.entries(payloads))('%s', (_name, text) => {
    const body = new TextEncoder().encode(text);
    const out = processFeed({ sourceId: 'desk', feedUrl: 'https://desk.example/feed.xml', body, now: Date.UTC(2026, 11, 1), nearDuplicates: true, maxItems: 1000 }, tagger);
    expect(out.items).toHaveLength(1);
    const item = out.items[0]!;
    expect(item.title.length).toBeLessThanOrEqual(501);
    // Each field is read up to 256 KB; resolving relative URLs can make what comes out a few times longer.
    for (const html of [item.summaryHtml, item.contentHtml]) expect((html ?? '').length).toBeLessThanOrEqual(4 * 256 * 1024);
  });
});
