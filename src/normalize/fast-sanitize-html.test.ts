import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import sanitizeHtml from 'sanitize-html';
import { describe, expect, it } from 'vitest';
import { parseFeed } from '../parse/index.js';
import { fastSanitizeHtml } from './fast-sanitize-html.js';
import { htmlToText, normalizeText } from './html-text.js';
import { SANITIZE_OPTIONS, withBase } from './sanitize-policy.js';

const BASE = 'https://www.dawn.example/news/2025/story/';
const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** The fast path must either bail or write exactly what sanitize-html writes. */
function agree(html: string): boolean | undefined {
  return withBase(BASE, () => {
    const fast = fastSanitizeHtml(html);
    if (fast === undefined) return undefined;
    const slow = sanitizeHtml(html, SANITIZE_OPTIONS);
    expect(fast.html, html).toBe(slow);
    expect(normalizeText(fast.rawText), html).toBe(htmlToText(slow.trim()));
    return true;
  });
}

const tagName = fc.constantFrom('p', 'P', 'div', 'a', 'b', 'i', 'em', 'strong', 'span', 'img', 'br', 'hr', 'wbr', 'ul', 'ol', 'li', 'figure', 'figcaption', 'blockquote', 'h2', 'table', 'tr', 'td', 'font', 'center', 'o:p', 'source', 'picture', 'video', 'q', 'time', 'sup', 'small', 'input', 'form', 'button', 'embed', 'object', 'col', 'details', 'summary', 'pre', 'code');
const attrName = fc.constantFrom('href', 'src', 'srcset', 'alt', 'title', 'class', 'style', 'id', 'width', 'height', 'dir', 'lang', 'onclick', 'onerror', 'data-src', 'rel', 'target', 'cite', 'datetime', 'start', 'reversed', 'controls', 'poster', 'colspan', 'HREF', 'sizes', 'loading');
const attrValue = fc.constantFrom(
  '', 'x', '/a/b.jpg', 'https://ok.example/x?a=1&amp;b=2', 'javascript:alert(1)', 'JAVASCRIPT:x', ' javascript:x', 'java\tscript:x',
  'data:image/png;base64,iVBO', 'data:image/svg+xml,<svg>', 'data:text/html,x', '//cdn.example/i.png', 'mailto:a@b.example', 'tel:+92',
  'vbscript:x', '../up', '#frag', 'a.jpg 300w, /b.jpg 600w', 'a.jpg 2x', 'a.jpg 1.5x', 'a.jpg, b.jpg', 'rtl', 'color: red', 'Q&amp;A', '&eacute;t&eacute;',
  '&bogus;', '&amp', 'a"b', "it's", '1', 'ftp://x.example/', 'http://[::1]/', 'relative:x', 'https://a.example/&#x6A;',
);
const text = fc.constantFrom('Kabul ', 'talks', ' & ', '&amp;', '&nbsp;', '&#8220;', '&eacute;', '&copy;', '&copy', '&bogus;', '5 > 4', 'a < b', '"q"', 'خبر', '👩‍🏫', '\n', '&#150;', '&#x0;', ']]>');
const quote = fc.constantFrom('"', "'", '');

const attribute = fc.tuple(attrName, attrValue, quote, fc.boolean()).map(([n, v, q, bare]) => {
  if (bare) return ` ${n}`;
  if (q === '') return /^[^\s"'=<>`]+$/.test(v) ? ` ${n}=${v}` : ` ${n}="${v.replace(/"/g, '&quot;')}"`;
  return ` ${n}=${q}${q === '"' ? v.replace(/"/g, '&quot;') : v.replace(/'/g, '&#39;')}${q}`;
});

/** Random markup: mostly well nested (to exercise the fast path), sometimes not (to exercise the bail-outs). */
const markup: fc.Arbitrary<string> = fc.letrec<{ node: string; nodes: string }>((tie) => ({
  node: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    text,
    fc.tuple(tagName, fc.array(attribute, { maxLength: 3 }), tie('nodes'), fc.constantFrom('close', 'close', 'close', 'open', 'selfclose', 'mismatch')).map(
      ([t, attrs, inner, how]) => {
        const open = `<${t}${attrs.join('')}${how === 'selfclose' ? '/' : ''}>`;
        if (how === 'open' || how === 'selfclose') return open + inner;
        return `${open}${inner}</${how === 'mismatch' ? 'b' : t}>`;
      },
    ),
  ),
  nodes: fc.array(tie('node'), { maxLength: 4 }).map((a) => a.join('')),
})).nodes;

describe('fastSanitizeHtml', () => {
  it('writes what sanitize-html writes, or bails (generated markup)', () => {
    let taken = 0;
    fc.assert(
      fc.property(markup, (html) => {
        if (agree(html)) taken++;
      }),
      { numRuns: Number(process.env.FAST_SANITIZE_RUNS ?? 3000) },
    );
    // The generator is built so that a good share of cases stays inside the fast path.
    expect(taken).toBeGreaterThan(300);
  });

  it('writes what sanitize-html writes, or bails (generated markup cut off anywhere, as summaries cut at a length are)', () => {
    let taken = 0;
    const cut = fc.tuple(markup, fc.nat()).map(([html, at]) => html.slice(0, at % (html.length + 1)));
    fc.assert(
      fc.property(cut, (html) => {
        if (agree(html)) taken++;
      }),
      { numRuns: Number(process.env.FAST_SANITIZE_RUNS ?? 3000) },
    );
    expect(taken).toBeGreaterThan(300);
  });

  it('writes what sanitize-html writes, or bails (feed fixtures and the feedparser corpus)', () => {
    const files: string[] = [];
    const walk = (dir: string) => {
      if (!existsSync(dir)) return;
      for (const f of readdirSync(dir)) {
        const p = path.join(dir, f);
        if (statSync(p).isDirectory()) walk(p);
        else if (/\.(xml|json|rdf|atom|rss)$/.test(f) && !f.endsWith('.expected.json') && f !== 'expectations.jsonl') files.push(p);
      }
    };
    walk(path.join(repoRoot, 'tests/fixtures/feeds'));
    walk(path.resolve(repoRoot, '../shared/corpus/feedparser'));
    let fields = 0;
    let taken = 0;
    for (const file of files) {
      let feed;
      try {
        feed = parseFeed(readFileSync(file), { sourceId: 't', url: BASE });
      } catch {
        continue; // Not a feed: nothing to sanitize.
      }
      for (const item of feed.items) {
        for (const field of [item.title, item.summary, item.content]) {
          if (!field?.includes('<')) continue;
          // Whole, and cut at a length as a feed's summary often is.
          for (const html of [field, field.slice(0, 300), field.slice(0, 100)]) {
            fields++;
            if (agree(html)) taken++;
          }
        }
      }
    }
    expect(fields).toBeGreaterThan(30);
    expect(taken).toBeGreaterThan(0);
  });

  const cases = [
    { name: 'WordPress figure with srcset and classes', html: '<figure class="wp-block-image"><img decoding="async" src="/a.jpg" srcset="/a-300.jpg 300w, /a.jpg 1024w" sizes="(max-width: 1024px) 100vw" alt="A" class="x"><figcaption>Cap</figcaption></figure>' },
    { name: 'paragraphs, links and entities', html: '<p>“Quote” &amp; <a href="/x?a=1&amp;b=2" rel="nofollow">link</a> &#8230;</p>\n<p>Two</p>' },
    { name: 'lists and headings', html: '<h2>Head</h2><ul><li>one</li><li>two <b>2</b></li></ul>' },
    { name: 'void elements sanitize-html does not self-close', html: '<p>a<wbr>b</p><picture><source srcset="/a.webp 1x" type="image/webp"><img src="/a.jpg"></picture>' },
    { name: 'disallowed wrappers keep their text', html: '<font color="red"><center>Centered</center></font>' },
    { name: 'elements left open at the end', html: '<p>Hello <b>world' },
    { name: 'a summary cut inside a tag', html: '<p>One</p>\n<p>Two <a href="https://example.org/x?utm_source=rss">More</a> <a href="https://exa' },
    { name: 'a summary cut inside an end tag', html: '<p>One <b>two</b' },
  ];

  it.each(cases)('takes the fast path: $name', ({ html }) => {
    expect(agree(html)).toBe(true);
  });

  const bails = [
    { name: 'script', html: '<p>x</p><script>alert(1)</script>' },
    { name: 'a comment', html: '<p>x<!-- c --></p>' },
    { name: 'a cut-off tag with a quoted >', html: '<p>x <a title="a>b' },
    { name: 'a < left at the end', html: '<p>x <' },
    { name: 'an implied end tag', html: '<p>x<div>y</div></p>' },
    { name: 'misnested tags', html: '<b><i>x</b></i>' },
    { name: 'a stray <', html: '<p>a < b</p>' },
    { name: 'svg', html: '<svg><a href="javascript:x">x</a></svg>' },
    { name: 'an entity it does not know', html: '<p>&bogus;</p>' },
  ];

  it.each(bails)('bails on $name', ({ html }) => {
    expect(withBase(BASE, () => fastSanitizeHtml(html))).toBeUndefined();
  });
});
