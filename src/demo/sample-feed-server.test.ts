import iconv from 'iconv-lite';
import Parser from 'rss-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { shiftDates, startSampleFeedServer } from './sample-feed-server.js';
import type { SampleFeedServer } from './sample-feed-server.js';

const WRITTEN_AT = Date.UTC(2026, 10, 24, 12);
const DAY = 86_400_000;

describe('startSampleFeedServer', () => {
  let samples: SampleFeedServer;
  beforeAll(async () => {
    samples = await startSampleFeedServer({ now: WRITTEN_AT + 3 * DAY + 3_600_000 });
  });
  afterAll(async () => {
    await samples.close();
    await samples.close();
  });

  it('lists the ten sample feeds on loopback', () => {
    expect(samples.baseUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    expect(samples.feeds).toHaveLength(10);
    expect(new Set(samples.feeds.map((f) => f.id)).size).toBe(10);
    expect(samples.feeds.find((f) => f.id === 'awaz-urdu')).toMatchObject({ country: 'PK', language: 'ur' });
    expect(samples.feeds.find((f) => f.id === 'world-desk')?.country).toBeUndefined();
  });

  it.each([
    { id: 'karachi-courier', type: 'application/rss+xml; charset=UTF-8', charset: 'utf-8', text: 'Karachi Courier' },
    { id: 'himalayan-post', type: 'application/atom+xml; charset=utf-8', charset: 'utf-8', text: '<feed xmlns="http://www.w3.org/2005/Atom"' },
    { id: 'male-monitor', type: 'application/feed+json; charset=utf-8', charset: 'utf-8', text: '"version": "https://jsonfeed.org/version/1.1"' },
    { id: 'awaz-urdu', type: 'text/xml; charset=windows-1256', charset: 'windows-1256', text: 'بدخشاں' },
    { id: 'stepnoy-vestnik', type: 'application/rss+xml', charset: 'koi8-r', text: 'Степной вестник' },
    { id: 'bharat-samachar', type: 'application/xml', charset: 'utf-8', text: '\uFEFF<?xml' },
  ])('serves $id as $type, its text intact in $charset', async ({ id, type, charset, text }) => {
    const res = await fetch(samples.feeds.find((f) => f.id === id)!.url);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe(type);
    const body = iconv.decode(Buffer.from(await res.arrayBuffer()), charset, { stripBOM: false });
    expect(body).toContain(text);
  });

  it('answers conditional requests with 304, HEAD without a body, unknown paths with 404', async () => {
    const url = samples.feeds[0]!.url;
    const first = await fetch(url);
    const etag = first.headers.get('etag')!;
    expect((await fetch(url, { headers: { 'If-None-Match': etag } })).status).toBe(304);
    expect((await fetch(url, { headers: { 'If-Modified-Since': first.headers.get('last-modified')! } })).status).toBe(304);
    expect((await fetch(url, { headers: { 'If-None-Match': '"old"' } })).status).toBe(200);
    const head = await fetch(url, { method: 'HEAD' });
    expect(head.headers.get('etag')).toBe(etag);
    expect((await head.arrayBuffer()).byteLength).toBe(0);
    expect((await fetch(new URL('nope.xml', samples.baseUrl))).status).toBe(404);
  });

  it('every XML feed parses with 6-12 items, dated in the few days before now', async () => {
    const now = WRITTEN_AT + 3 * DAY + 3_600_000;
    const parser = new Parser();
    const charsets: Record<string, string> = { 'awaz-urdu': 'windows-1256', 'stepnoy-vestnik': 'koi8-r' };
    for (const feed of samples.feeds) {
      const bytes = Buffer.from(await (await fetch(feed.url)).arrayBuffer());
      // U+000B in one feed is there on purpose (XML forbids it); the pipeline strips it, and so does this check.
      const text = iconv.decode(bytes, charsets[feed.id] ?? 'utf-8').replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, '');
      const items = feed.id === 'male-monitor'
        ? (JSON.parse(text) as { items: { date_published: string }[] }).items.map((i) => i.date_published)
        : (await parser.parseString(text)).items.map((i) => i.isoDate ?? i.pubDate ?? '');
      expect(items.length, feed.id).toBeGreaterThanOrEqual(6);
      expect(items.length, feed.id).toBeLessThanOrEqual(12);
      for (const date of items) {
        const t = Date.parse(date.replace(/^(\d{4}-\d\d-\d\d) (\d\d:\d\d:\d\d)$/, '$1T$2Z'));
        expect(t, `${feed.id} ${date}`).toBeLessThanOrEqual(now);
        expect(t, `${feed.id} ${date}`).toBeGreaterThan(now - 7 * DAY);
      }
    }
  });
});

describe('shiftDates', () => {
  const shift = (text: string, days: number): string => shiftDates(Buffer.from(text, 'utf8'), days).toString('utf8');

  it.each([
    { name: 'RFC 822 across a month end, weekday recomputed', text: 'Mon, 30 Nov 2026 08:00:00 +0500', days: 1, out: 'Tue, 01 Dec 2026 08:00:00 +0500' },
    { name: 'RFC 822 without a weekday', text: '24 Nov 2026 12:40:00 +0600', days: 40, out: '03 Jan 2027 12:40:00 +0600' },
    { name: 'ISO 8601 with an offset', text: '<updated>2026-11-24T03:00:00+05:45</updated>', days: 7, out: '<updated>2026-12-01T03:00:00+05:45</updated>' },
    { name: 'an ISO date and time without a zone', text: '2026-11-21 23:55:00', days: 2, out: '2026-11-23 23:55:00' },
    { name: 'a bare year-month-day in a URL stays', text: 'https://x.example/2026-11-24/story', days: 2, out: 'https://x.example/2026-11-24/story' },
    { name: 'no shift leaves the bytes as they are', text: 'Tue, 24 Nov 2026 07:40:00 +0500', days: 0, out: 'Tue, 24 Nov 2026 07:40:00 +0500' },
  ])('$name', ({ text, days, out }) => {
    expect(shift(text, days)).toBe(out);
  });

  it('keeps non-ASCII bytes of any encoding', () => {
    const koi8 = iconv.encode('Степной вестник, Tue, 24 Nov 2026 06:20:00 +0500', 'koi8-r');
    expect(iconv.decode(shiftDates(koi8, 1), 'koi8-r')).toBe('Степной вестник, Wed, 25 Nov 2026 06:20:00 +0500');
  });
});
