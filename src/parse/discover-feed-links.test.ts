import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { discoverFeedLinks } from './index.js';

const fixtures = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../tests/fixtures/feeds');

describe('discoverFeedLinks', () => {
  it('finds the RSS and Atom alternates of the HTML page fixture, absolute, in page order', () => {
    const html = readFileSync(path.join(fixtures, 'html-page-not-a-feed.html'), 'utf8');
    expect(discoverFeedLinks(html, 'https://peshawar-today.example/rss')).toEqual([
      'https://peshawar-today.example/feeds/latest.xml',
      'https://peshawar-today.example/feeds/atom',
    ]);
  });

  const cases = [
    {
      name: 'JSON Feed alternates count too',
      html: '<link rel="alternate" type="application/feed+json" href="/feed.json">',
      want: ['https://site.example/feed.json'],
    },
    {
      name: 'attributes in any order and case, single quotes, entities in href',
      html: "<LINK HREF='/rss?lang=ur&amp;cat=1' TYPE='application/rss+xml; charset=utf-8' REL='Alternate'>",
      want: ['https://site.example/rss?lang=ur&cat=1'],
    },
    {
      name: 'rel lists with more than one value',
      html: '<link rel="home alternate" type="application/atom+xml" href="atom.xml">',
      want: ['https://site.example/news/atom.xml'],
    },
    {
      name: '<base href> changes the base',
      html: '<base href="https://cdn.site.example/x/"><link rel="alternate" type="application/rss+xml" href="feed.xml">',
      want: ['https://cdn.site.example/x/feed.xml'],
    },
    {
      name: 'stylesheets, icons, other alternates, javascript: and duplicates are left out',
      html:
        '<link rel="stylesheet" href="/a.css"><link rel="alternate" hreflang="ur" href="/ur/">' +
        '<link rel="alternate" type="application/json+oembed" href="/oembed">' +
        '<link rel="alternate" type="application/rss+xml" href="javascript:alert(1)">' +
        '<link rel="alternate" type="application/rss+xml" href="/f#top"><link rel="alternate" type="application/rss+xml" href="/f">',
      want: ['https://site.example/f'],
    },
    { name: 'a page without feed links', html: '<html><head><title>x</title></head></html>', want: [] },
  ];

  it.each(cases)('$name', ({ html, want }) => {
    expect(discoverFeedLinks(html, 'https://site.example/news/index.html')).toEqual(want);
  });
});
