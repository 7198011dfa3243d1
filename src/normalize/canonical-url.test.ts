import { describe, expect, it } from 'vitest';
import { canonicalizeUrl } from './index.js';

describe('canonicalizeUrl', () => {
  const cases = [
    { name: 'drops utm_* parameters and keeps the others in order', url: 'https://www.dawn.example/news/1?utm_source=rss&id=7&utm_medium=feed&page=2', want: 'https://www.dawn.example/news/1?id=7&page=2' },
    { name: 'drops fbclid, gclid, msclkid and Mailchimp mc_*', url: 'https://a.example/x?fbclid=IwAR0&gclid=Cj0&msclkid=1&mc_cid=abc&mc_eid=def', want: 'https://a.example/x' },
    { name: 'drops BBC/AT Internet at_* parameters', url: 'https://www.bbc.example/urdu/articles/c1?at_medium=RSS&at_campaign=KARANGA', want: 'https://www.bbc.example/urdu/articles/c1' },
    { name: 'drops the fragment', url: 'https://a.example/story#comments', want: 'https://a.example/story' },
    { name: 'lower-cases the host and drops the default port', url: 'HTTPS://WWW.Dawn.Example:443/News/Story', want: 'https://www.dawn.example/News/Story' },
    { name: 'keeps a non-default port', url: 'http://a.example:8080/x', want: 'http://a.example:8080/x' },
    { name: 'resolves against the base', url: '../world/story?id=3', base: 'https://a.example/feeds/rss/index.xml', want: 'https://a.example/feeds/world/story?id=3' },
    { name: 'resolves a protocol-relative URL', url: '//cdn.a.example/x', base: 'https://a.example/', want: 'https://cdn.a.example/x' },
    { name: 'trims whitespace around the URL', url: '  \n https://a.example/x \t', want: 'https://a.example/x' },
    { name: 'adds a slash to a bare host', url: 'https://a.example', want: 'https://a.example/' },
    { name: 'drops credentials', url: 'https://user:pass@a.example/x', want: 'https://a.example/x' },
    { name: 'keeps percent-encoding and non-ASCII paths', url: 'https://ur.a.example/خبریں/1?q=%D8%A7', want: 'https://ur.a.example/%D8%AE%D8%A8%D8%B1%DB%8C%DA%BA/1?q=%D8%A7' },
    { name: 'turns an internationalised host into punycode', url: 'https://пример.example/a', want: 'https://xn--e1afmkfd.example/a' },
    { name: 'accepts feed: wrappers', url: 'feed://a.example/rss', want: 'http://a.example/rss' },
    { name: 'removes a query left empty', url: 'https://a.example/x?utm_source=a&', want: 'https://a.example/x' },
    { name: 'refuses javascript:', url: 'javascript:alert(1)', want: undefined },
    { name: 'refuses data:', url: 'data:text/html,<script>alert(1)</script>', want: undefined },
    { name: 'refuses mailto:', url: 'mailto:desk@a.example', want: undefined },
    { name: 'refuses garbage', url: 'http://', want: undefined },
    { name: 'refuses a relative URL without a base', url: '/news/1', want: undefined },
    { name: 'keeps a long URL', url: `https://a.example/${'a'.repeat(16_000)}`, want: `https://a.example/${'a'.repeat(16_000)}` },
    { name: 'refuses one longer than any server takes', url: `https://a.example/${'a'.repeat(16_400)}`, want: undefined },
  ];

  it.each(cases)('$name', ({ url, base, want }) => {
    expect(canonicalizeUrl(url, base)).toBe(want);
  });
});
