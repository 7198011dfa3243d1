import { createHash } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A deterministic pseudo-random generator (mulberry32), so every run builds the same farm. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const PLACES = ['Kabul', 'Karachi', 'Lahore', 'Dhaka', 'Colombo', 'Kathmandu', 'New Delhi', 'Mumbai', 'Islamabad', 'Herat', 'Chittagong', 'Thimphu', 'Male', 'Tashkent', 'Almaty', 'Tehran', 'Baghdad', 'Geneva'];
const SUBJECTS = ['government', 'central bank', 'election commission', 'health ministry', 'cricket board', 'flood relief agency', 'supreme court', 'police', 'university', 'trade unions', 'parliament', 'army'];
const VERBS = ['announced', 'rejected', 'approved', 'postponed', 'debated', 'confirmed', 'criticised', 'launched', 'suspended', 'expanded'];
const OBJECTS = ['a new budget', 'the monsoon response plan', 'fuel subsidies', 'a vaccination drive', 'border trade rules', 'the tax reform', 'a rail project', 'exam schedules', 'power tariffs', 'a peace dialogue', 'wheat imports', 'a cyber security law'];
const WIRE_STORIES = 400;
const SYLLABLES = ['ka', 'lo', 'mer', 'tan', 'vi', 'sha', 'ro', 'den', 'pa', 'qui', 'bel', 'sto', 'ar', 'nu', 'fen', 'gra', 'hol', 'im', 'jus', 'wel'];

/**
 * A vocabulary of pseudo-words drawn with a Zipf-like skew, so that story bodies differ the way real articles do
 * (shared function words, rarer content words) instead of repeating one template that every story would share.
 */
function makeVocabulary(random: () => number, size: number): string[] {
  const words = new Set<string>(['the', 'of', 'and', 'to', 'in', 'a', 'said', 'on', 'for', 'that', 'with', 'was', 'by', 'officials', 'minister', 'week', 'people', 'district', 'province', 'after']);
  while (words.size < size) {
    const n = 2 + Math.floor(random() * 3);
    words.add(Array.from({ length: n }, () => SYLLABLES[Math.floor(random() * SYLLABLES.length)]).join(''));
  }
  return [...words];
}

export interface FarmOptions {
  readonly feeds: number;
  readonly itemsPerFeed: number;
  /** Share of items that are copies of a shared wire story. */
  readonly syndicatedShare: number;
  readonly seed?: number;
  /**
   * Stories are a minute apart and end before this time (default: when the farm is made), so that they are in the
   * past as real feeds' are, whatever the date: a fixed calendar date would drift into the future and be re-dated.
   */
  readonly endAt?: number;
}

interface FarmItem {
  readonly guid: string;
  readonly title: string;
  readonly html: string;
  readonly pubDate: string;
}

/**
 * A loopback farm of WordPress-shaped RSS feeds (content:encoded of 1–4 KB), about `syndicatedShare` of the items being
 * copies of shared wire stories under other headlines. Serves ETag/304 like a real CDN. `grow()` adds items to a share
 * of the feeds for an incremental pass.
 */
export class FeedFarm {
  private readonly items: FarmItem[][] = [];
  private readonly bodies: string[] = [];
  private readonly etags: string[] = [];
  private readonly random: () => number;
  private readonly wire: FarmItem[] = [];
  private readonly vocabulary: string[];
  private readonly generated: number[] = [];
  private clock: number;
  private server?: ReturnType<typeof createServer>;
  baseUrl = '';
  requests = 0;

  constructor(private readonly options: FarmOptions) {
    this.random = seededRandom(options.seed ?? 42);
    // Room for every story made now and for a few thousand more from grow().
    this.clock = (options.endAt ?? Date.now()) - (WIRE_STORIES + options.feeds * options.itemsPerFeed + 5000) * 60_000;
    this.vocabulary = makeVocabulary(this.random, 5000);
    for (let w = 0; w < WIRE_STORIES; w++) this.wire.push(this.story(`wire-${w}`));
    for (let f = 0; f < options.feeds; f++) {
      this.items.push(Array.from({ length: options.itemsPerFeed }, (_, i) => this.itemFor(f, i)));
      this.generated.push(options.itemsPerFeed);
      this.render(f);
    }
  }

  /** Every feed body, for the bare-parse baseline. */
  get feedBodies(): readonly string[] {
    return this.bodies;
  }

  get totalBytes(): number {
    return this.bodies.reduce((sum, b) => sum + Buffer.byteLength(b), 0);
  }

  urlOf(feed: number): string {
    return `${this.baseUrl}feed/${feed}.xml`;
  }

  /** Adds `count` new items to `share` of the feeds. */
  grow(share: number, count: number): number {
    let grown = 0;
    for (let f = 0; f < this.options.feeds; f++) {
      if (f % Math.round(1 / share) !== 0) continue;
      const list = this.items[f] as FarmItem[];
      // New guids continue after every guid this feed ever had (the list itself is trimmed to itemsPerFeed).
      for (let k = 0; k < count; k++) {
        const index = this.generated[f] ?? 0;
        this.generated[f] = index + 1;
        list.unshift(this.itemFor(f, index));
      }
      list.length = this.options.itemsPerFeed;
      this.render(f);
      grown++;
    }
    return grown;
  }

  async listen(): Promise<void> {
    this.server = createServer((req, res) => {
      this.requests++;
      const match = /^\/feed\/(\d+)\.xml$/.exec(req.url ?? '');
      const feed = match ? Number(match[1]) : -1;
      const body = this.bodies[feed];
      if (body === undefined) {
        res.writeHead(404).end();
        return;
      }
      const etag = this.etags[feed] as string;
      if (req.headers['if-none-match'] === etag) {
        res.writeHead(304, { ETag: etag }).end();
        return;
      }
      res.writeHead(200, { 'Content-Type': 'application/rss+xml; charset=utf-8', ETag: etag }).end(body);
    });
    this.server.keepAliveTimeout = 30_000;
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
    this.baseUrl = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/`;
  }

  async close(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  private pick<T>(list: readonly T[]): T {
    return list[Math.floor(this.random() * list.length)] as T;
  }

  /** A sentence of 8–24 words; low ranks are far more frequent (Zipf-like). */
  private sentence(): string {
    const length = 8 + Math.floor(this.random() * 17);
    const words = Array.from({ length }, () => this.vocabulary[Math.floor(this.vocabulary.length * this.random() ** 3)] as string);
    const text = words.join(' ');
    return `${text.charAt(0).toUpperCase()}${text.slice(1)}.`;
  }

  private story(id: string): FarmItem {
    const place = this.pick(PLACES);
    // The lede restates the headline, as news ledes do; the rest is vocabulary. Unrelated stories then share about
    // as many words as the labeled set's (mean Jaccard of headline + lede words 0.014; 0.011 there).
    const what = `${this.pick(SUBJECTS)} ${this.pick(VERBS)} ${this.pick(OBJECTS)}`;
    const title = `${place}: ${what}`;
    const paragraphs = 2 + Math.floor(this.random() * 8);
    const html = Array.from({ length: paragraphs }, (_, p) =>
      `<p>${p === 0 ? `${place.toUpperCase()}: The ${what} on ${this.pick(['Monday', 'Tuesday', 'Wednesday', 'Thursday'])}, ${Math.floor(this.random() * 900 + 100)} ${this.sentence().split(' ')[0]?.toLowerCase()} said. ` : ''}${Array.from({ length: 3 + Math.floor(this.random() * 4) }, () => this.sentence()).join(' ')} <a href="https://example.org/${id}/${p}?utm_source=rss">More</a></p>`,
    ).join('\n');
    this.clock += 60_000;
    return { guid: id, title, html, pubDate: new Date(this.clock).toUTCString() };
  }

  private itemFor(feed: number, index: number): FarmItem {
    const guid = `https://outlet${feed}.example/news/${index}`;
    if (this.random() < this.options.syndicatedShare) {
      const copy = this.pick(this.wire);
      return { ...copy, guid, title: `${copy.title} - Outlet ${feed}` };
    }
    return this.story(guid);
  }

  private render(feed: number): void {
    const items = (this.items[feed] as FarmItem[])
      .map(
        (it) => `<item><title>${escapeXml(it.title)}</title><link>${escapeXml(it.guid)}</link><guid isPermaLink="true">${escapeXml(it.guid)}</guid><pubDate>${it.pubDate}</pubDate><dc:creator>Staff Reporter</dc:creator><category>News</category><description>${escapeXml(it.html.slice(0, 300))}</description><content:encoded><![CDATA[${it.html}]]></content:encoded></item>`,
      )
      .join('\n');
    const body = `<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:dc="http://purl.org/dc/elements/1.1/"><channel><title>Outlet ${feed}</title><link>https://outlet${feed}.example/</link><description>News</description>\n${items}\n</channel></rss>`;
    this.bodies[feed] = body;
    this.etags[feed] = `"${createHash('sha1').update(body).digest('hex').slice(0, 16)}"`;
  }
}

function escapeXml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
