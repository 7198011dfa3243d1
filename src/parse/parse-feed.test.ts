import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ParseError } from '../core/index.js';
import { parseFeed } from './index.js';

const fixtures = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../tests/fixtures/feeds');
const meta = { sourceId: 'dawn', url: 'https://www.dawn.example/feeds/home' };
const parse = (text: string | Buffer, contentType?: string) =>
  parseFeed(typeof text === 'string' ? Buffer.from(text) : text, { ...meta, contentType });

function parseError(text: string, contentType?: string): ParseError {
  try {
    parse(text, contentType);
  } catch (err) {
    if (err instanceof ParseError) return err;
    throw err;
  }
  throw new Error('expected a ParseError');
}

describe('parseFeed: not a feed', () => {
  const cases = [
    { name: 'an HTML page', text: '<!DOCTYPE html><html><head><title>Dawn</title></head><body>Hi</body></html>', why: 'HTML page' },
    { name: 'an HTML fragment without <html>', text: '\n<div class="error">Service unavailable</div>', why: 'HTML page' },
    { name: 'an empty body', text: '', why: 'empty document' },
    { name: 'a body of whitespace', text: ' \r\n\t ', why: 'empty document' },
    { name: 'plain text', text: 'Service Unavailable', why: 'neither XML nor JSON' },
    { name: 'another XML vocabulary', text: '<?xml version="1.0"?><opml version="2.0"><body/></opml>', why: 'root element <opml>' },
    { name: 'invalid JSON', text: '{"version": "https://jsonfeed.org/version/1.1", "items": [', why: 'invalid JSON' },
    { name: 'JSON that is not a JSON Feed', text: '{"status": "ok"}', why: 'JSON without a JSON Feed version or items' },
  ];

  it.each(cases)('$name is a ParseError that names the source, the URL and why', ({ text, why }) => {
    const err = parseError(text);
    expect(err.message).toContain(`parse: dawn (${meta.url}) is not a feed (`);
    expect(err.message).toContain(why);
    expect(err.stage).toBe('parse');
    expect(err.sourceId).toBe('dawn');
    expect(err.url).toBe(meta.url);
  });

  it('is synchronous (a worker thread calls it as a plain function)', () => {
    const out = parse('<rss version="2.0"><channel><title>x</title></channel></rss>');
    expect(out).not.toBeInstanceOf(Promise);
    expect(out.format).toBe('rss2');
  });
});

describe('parseFeed: recovered quirks', () => {
  it('reads <rss> without a version as RSS 2.0', () => {
    const out = parse('<rss><channel><title>T</title><item><title>A</title></item></channel></rss>');
    expect(out.items.map((i) => i.title)).toEqual(['A']);
  });

  it('keeps one bad Atom date from rejecting the feed, and keeps the raw date strings', () => {
    const out = parse(`<feed xmlns="http://www.w3.org/2005/Atom"><title>T</title>
      <entry><id>1</id><title>bad</title><updated>tomorrow-ish</updated></entry>
      <entry><id>2</id><title>good</title><published>2025-06-14T09:00:00+05:00</published></entry></feed>`);
    expect(out.items.map((i) => [i.title, i.published ?? i.updated])).toEqual([
      ['bad', 'tomorrow-ish'],
      ['good', '2025-06-14T09:00:00+05:00'],
    ]);
  });

  it('keeps `10-04-2020` as written (normalize reads it day-first)', () => {
    const out = parse('<rss version="2.0"><channel><item><title>A</title><pubDate>10-04-2020</pubDate></item></channel></rss>');
    expect(out.items[0]!.published).toBe('10-04-2020');
  });

  it('applies xml:base from the feed, the entry and the content element', () => {
    const out = parse(`<feed xmlns="http://www.w3.org/2005/Atom" xml:base="https://a.example/news/">
      <entry xml:base="2025/"><id>1</id><link href="story"/><content type="html" xml:base="https://cdn.example/c/">x</content></entry></feed>`);
    expect(out.items[0]!.link).toBe('https://a.example/news/2025/story');
    expect(out.items[0]!.baseUrl).toBe('https://cdn.example/c/');
  });

  it('removes characters illegal in XML, with a warning', () => {
    const out = parse('<rss version="2.0"><channel><title>A\u0001B\u001fC\uFFFE</title></channel></rss>');
    expect(out.title).toBe('ABC');
    expect(out.warnings.join('\n')).toMatch(/removed 3 character\(s\) that are not legal in XML/);
  });

  it('recovers a truncated download and says so', () => {
    const out = parse('<rss version="2.0"><channel><title>T</title><item><title>One</title></item><item><title>Two</ti');
    expect(out.items.map((i) => i.title)).toEqual(['One', 'Two']);
    expect(out.warnings.join('\n')).toMatch(/malformed XML .*recovered/);
  });

  it('recovers from junk before the XML declaration (a PHP warning)', () => {
    const out = parse('Warning: session_start() in /var/www/feed.php on line 3\n<?xml version="1.0"?><rss version="2.0"><channel><title>T</title></channel></rss>');
    expect(out.title).toBe('T');
  });

  it('keeps raw markup inside a description as one HTML string, in order', () => {
    const out = parse('<rss version="2.0"><channel><item><description>Hello <b>bold</b> world<br>next</description></item></channel></rss>');
    expect(out.items[0]!.summary).toBe('Hello <b>bold</b> world<br>next');
  });

  it('keeps the name of an RSS author written with an e-mail address, either way round', () => {
    const author = (a: string) => parse(`<rss version="2.0"><channel><item><title>t</title><author>${a}</author></item></channel></rss>`).items[0]!.author;
    expect(author('desk@dawn.example (Ikram Junaidi)')).toBe('Ikram Junaidi');
    expect(author(' Ikram Junaidi ( desk@dawn.example ) ')).toBe('Ikram Junaidi');
    expect(author('desk@dawn.example')).toBe('desk@dawn.example');
    expect(author('Staff (Islamabad)')).toBe('Staff (Islamabad)');
    expect(author('(desk@dawn.example)')).toBe('(desk@dawn.example)');
    // A long line with no parenthesis: a backtracking pattern took minutes on 2 MB of it.
    const long = 'Kabul flood minister said '.repeat(80_000);
    expect(author(long)).toBe(long);
  });

  it('reads prefixed Atom and RSS 1.0 vocabularies', () => {
    const atom = parse('<a:feed xmlns:a="http://www.w3.org/2005/Atom"><a:title>T</a:title><a:entry><a:id>1</a:id><a:title>E</a:title></a:entry></a:feed>');
    expect([atom.format, atom.title, atom.items[0]?.title]).toEqual(['atom', 'T', 'E']);
    const rdf = parse('<RDF:RDF xmlns:RDF="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:r="http://purl.org/rss/1.0/"><r:channel><r:title>T</r:title></r:channel><r:item><r:title>I</r:title></r:item></RDF:RDF>');
    expect([rdf.format, rdf.title, rdf.items[0]?.title]).toEqual(['rss1', 'T', 'I']);
  });

  it('does not overflow the stack on deeply nested elements or JSON', () => {
    const depth = 20_000;
    const xml = `<rss version="2.0"><channel><item><title>deep</title>${'<x>'.repeat(depth)}${'</x>'.repeat(depth)}</item></channel></rss>`;
    expect(parse(xml).items[0]!.title).toBe('deep');
    const json = `${'['.repeat(depth)}${']'.repeat(depth)}`;
    expect(() => parse(json)).toThrow(ParseError);
  });
});

describe('parseFeed: XML attacks', () => {
  let server: Server;
  let port = 0;
  const requests: string[] = [];

  beforeAll(async () => {
    server = createServer((req, res) => {
      requests.push(req.url ?? '');
      res.end('<!ENTITY leaked "LEAKED-OVER-HTTP">');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });

  afterAll(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  it('never expands billion-laughs entities (fast, small output)', () => {
    const bytes = readFileSync(path.join(fixtures, 'billion-laughs.xml'));
    const t0 = performance.now();
    const out = parseFeed(bytes, meta);
    expect(performance.now() - t0).toBeLessThan(1000);
    const json = JSON.stringify(out);
    expect(json.length).toBeLessThan(5_000);
    expect(json).not.toContain('lollollol');
  });

  it('never reads file:// or fetches http:// external entities', async () => {
    const text = readFileSync(path.join(fixtures, 'xxe-external-entities.xml'), 'utf8').replaceAll('127.0.0.1:9', `127.0.0.1:${port}`);
    expect(text).toContain(`http://127.0.0.1:${port}/xxe-probe`);
    const out = parse(text);
    // Give any stray request time to arrive.
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(requests).toEqual([]);
    const json = JSON.stringify(out);
    expect(json).not.toContain('LEAKED-OVER-HTTP');
    expect(json).not.toMatch(/root:.*:0:0:/);
    expect(out.items).toHaveLength(1);
    expect(out.warnings.join('\n')).toMatch(/DTD .*never expanded/);
  });
});
