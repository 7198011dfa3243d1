const LINK_TAG = /<link\b([^>]*)>/gi;
const BASE_TAG = /<base\b([^>]*)>/i;
const ATTR = /([^\s=/"'<>]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+)))?/g;
const FEED_TYPES = new Set(['application/rss+xml', 'application/atom+xml', 'application/feed+json']);

function attributes(raw: string): Map<string, string> {
  const out = new Map<string, string>();
  ATTR.lastIndex = 0;
  for (let m = ATTR.exec(raw); m; m = ATTR.exec(raw)) {
    const name = m[1]!.toLowerCase();
    if (!out.has(name)) out.set(name, decodeAttribute(m[2] ?? m[3] ?? m[4] ?? ''));
  }
  return out;
}

function decodeAttribute(v: string): string {
  if (!v.includes('&')) return v;
  return v
    .replace(/&#(\d+);/g, (_, d: string) => String.fromCodePoint(Math.min(Number(d), 0x10ffff)))
    .replace(/&#x([0-9a-f]+);/gi, (_, h: string) => String.fromCodePoint(Math.min(Number.parseInt(h, 16), 0x10ffff)))
    .replace(/&quot;/g, '"')
    .replace(/&apos;|&#39;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}

/**
 * Feed URLs an HTML page advertises with `<link rel="alternate" type="application/rss+xml|atom+xml|feed+json">`,
 * absolute (against `<base href>` when the page has one, else `baseUrl`), http(s) only, in page order, de-duplicated.
 */
export function discoverFeedLinks(html: string, baseUrl: string): string[] {
  let base = baseUrl;
  const baseTag = BASE_TAG.exec(html);
  if (baseTag) {
    const href = attributes(baseTag[1]!).get('href');
    if (href) {
      try {
        base = new URL(href.trim(), baseUrl).href;
      } catch {
        // A broken <base href> is ignored, as browsers do.
      }
    }
  }
  const found: string[] = [];
  LINK_TAG.lastIndex = 0;
  for (let m = LINK_TAG.exec(html); m; m = LINK_TAG.exec(html)) {
    const a = attributes(m[1]!);
    const rel = (a.get('rel') ?? '').toLowerCase().split(/\s+/);
    const type = (a.get('type') ?? '').toLowerCase().split(';')[0]!.trim();
    const href = a.get('href')?.trim();
    if (!href || !rel.includes('alternate') || !FEED_TYPES.has(type)) continue;
    let url: URL;
    try {
      url = new URL(href, base);
    } catch {
      continue;
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') continue;
    url.hash = '';
    if (!found.includes(url.href)) found.push(url.href);
  }
  return found;
}
