import fc from 'fast-check';
import sanitizeHtml from 'sanitize-html';
import { describe, expect, it } from 'vitest';
import { isAlreadyClean, sanitizeOutputHtml } from './sanitize-output-html.js';

// What must never come out, whatever goes in: executable markup, script URLs, handler attributes.
const FORBIDDEN = [/<script/i, /<iframe/i, /<object/i, /<embed/i, /<svg/i, /<style/i, /<form/i, /<base/i, /<meta/i, /<link/i, /javascript:/i, /vbscript:/i, /\son[a-z]+\s*=/i, /data:text\/html/i, /\]\]>/];

const FRAGMENTS = [
  '<p>', '</p>', '<a href="https://ok.example/a?b=1&amp;c=2">', '</a>', '<img src="https://img.example/x.jpg" alt="x">',
  '<script>', '</script>', 'alert(1)', '<img src=x onerror=alert(1)>', '<a href="javascript:alert(1)">', '<a href="&#106;avascript:x">',
  '<svg onload=alert(1)>', '<iframe src="https://evil.example">', '<style>', '</style>', '<!--', '-->', ']]>', '<![CDATA[',
  '&lt;script&gt;', 'onerror=', 'javascript:', ' data:text/html,', '<b>', '</b>', '"', "'", '<', '>', '&', '&#x3c;', ' ', 'text',
  '<div style="x:expression(alert(1))">', '<a href="/relative">', '<img src="data:image/svg+xml,<svg onload=alert(1)>">',
  '<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>', '<p title="a onclick=b">', '<img srcset="javascript:x 1x">',
  '<a href="https://x.example/?onerror=1">', '<base href="https://evil.example/">', '<meta http-equiv="refresh" content="0">',
];

describe('sanitizeOutputHtml', () => {
  it('lets nothing executable through, whatever the mix of fragments (property test)', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...FRAGMENTS), { maxLength: 30 }), (parts) => {
        const out = sanitizeOutputHtml(parts.join(''), 'https://outlet.example/story');
        for (const pattern of FORBIDDEN) expect(out).not.toMatch(pattern);
      }),
      { numRuns: 2000 },
    );
  });

  it('renders the same input to the same output every time', () => {
    const html = FRAGMENTS.join('');
    expect(sanitizeOutputHtml(html)).toBe(sanitizeOutputHtml(html));
  });

  it.each([
    '<p>Plain <strong>news</strong> with <a href="https://example.com/a?b=1&amp;c=2">a link</a>.</p>',
    '<figure><img src="https://img.example/a.jpg" alt="A &quot;quoted&quot; caption" width="800"><figcaption>Caption</figcaption></figure>',
    '<ul><li>one</li><li>two &gt; one</li></ul><blockquote cite="https://source.example/">Quote</blockquote>',
    '<table><tbody><tr><td colspan="2">cell</td></tr></tbody></table><p><a href="mailto:desk@example.com">Write to us</a></p>',
  ])('takes the fast path only for HTML the full sanitizer would keep: %s', (html) => {
    expect(isAlreadyClean(html)).toBe(true);
    const full = sanitizeHtml(html, { allowedTags: false, allowedAttributes: false }).replace(/ \/>/g, '>');
    expect(full).toBe(html);
  });

  it.each([
    '<p onclick="x">a</p>',
    '<a href="/relative">a</a>',
    '<a href="HTTPS://Example.com">not canonical</a>',
    '<img src="https://x.example/a.jpg" srcset="https://x.example/b.jpg 2x">',
    '<p>a < b</p>',
    '<p title=unquoted>a</p>',
    '<span class="x">a</span>',
    '<p>&#106;avascript</p>',
    '<p>&lt;script&gt;</p>',
    '<!-- comment --><p>a</p>',
    '<custom-tag>a</custom-tag>',
    '</p class="x">',
  ])('sends doubtful HTML through the full sanitizer: %s', (html) => {
    expect(isAlreadyClean(html)).toBe(false);
  });
});
