import sanitizeHtml from 'sanitize-html';
import { defuseHtml, neutralizeText, stripIllegalXmlChars } from './plain-text.js';
import { safeHttpUrl } from './safe-url.js';

// A strict allowlist for what we publish. `normalize/` sanitized this HTML already; running it again costs little
// (results are cached: a story appears in several sections) and means a bug upstream cannot reach a reader.
const OPTIONS: sanitizeHtml.IOptions = {
  allowedTags: [
    'a', 'abbr', 'b', 'blockquote', 'br', 'caption', 'cite', 'code', 'dd', 'del', 'dfn', 'div', 'dl', 'dt', 'em',
    'figcaption', 'figure', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'hr', 'i', 'img', 'ins', 'kbd', 'li', 'mark', 'ol', 'p',
    'pre', 'q', 's', 'small', 'span', 'strong', 'sub', 'sup', 'table', 'tbody', 'td', 'tfoot', 'th', 'thead', 'time',
    'tr', 'u', 'ul',
  ],
  allowedAttributes: {
    a: ['href', 'title'],
    img: ['src', 'srcset', 'alt', 'title', 'width', 'height'],
    blockquote: ['cite'],
    q: ['cite'],
    del: ['cite', 'datetime'],
    ins: ['cite', 'datetime'],
    td: ['colspan', 'rowspan'],
    th: ['colspan', 'rowspan', 'scope'],
    time: ['datetime'],
    ol: ['start'],
  },
  allowedSchemes: ['http', 'https', 'mailto'],
  allowedSchemesByTag: { img: ['http', 'https', 'data'] },
  allowedSchemesAppliedToAttributes: ['href', 'src', 'cite'],
  allowProtocolRelative: false,
  // Raster data: images only; an SVG or HTML data URL is dropped with its tag.
  exclusiveFilter: (frame) =>
    frame.tag === 'img' &&
    /^\s*data:/i.test(frame.attribs.src ?? '') &&
    !/^\s*data:image\/(png|jpe?g|gif|webp|avif|bmp);base64,/i.test(frame.attribs.src ?? ''),
};

const ALLOWED_TAGS: ReadonlySet<string> = new Set(OPTIONS.allowedTags as string[]);
const URL_ATTRIBUTES: ReadonlySet<string> = new Set(['href', 'src', 'cite']);
// Anything that could need the full sanitizer: script-ish words, event handlers, entities that can hide characters,
// comments, CDATA ends and processing instructions. Ordinary news HTML from `normalize/` has none of these.
const NEEDS_FULL_PASS = /script|data:|on[a-z]+\s*=|&(?!(amp|gt|quot);)[#a-z]|\]\]>|<!|<\?/i;
const TAG = /<(\/?)([a-z][a-z0-9]*)((?:\s+[a-z-]+(?:="[^"<>]*")?)*)\s*\/?>/y;
const ATTRIBUTE = /\s+([a-z-]+)(?:="([^"<>]*)")?/g;

/**
 * True when HTML is already in the shape the allowlist produces (known tags, known attributes in double quotes,
 * absolute http(s) or mailto URLs in canonical form, no raw `<` in text), so sanitize-html can be skipped: it is the
 * slowest step of rendering, and `normalize/` has run it on this HTML once already. Conservative: any doubt → false.
 */
export function isAlreadyClean(html: string): boolean {
  if (NEEDS_FULL_PASS.test(html)) return false;
  let at = html.indexOf('<');
  while (at !== -1) {
    TAG.lastIndex = at;
    const tag = TAG.exec(html);
    if (tag === null) return false;
    const [whole, closing, name, attrs] = tag as unknown as [string, string, string, string];
    if (!ALLOWED_TAGS.has(name)) return false;
    if (attrs !== '') {
      if (closing !== '') return false;
      const allowed = (OPTIONS.allowedAttributes as Record<string, string[]>)[name] ?? [];
      for (const [, attr, value] of attrs.matchAll(ATTRIBUTE)) {
        if (attr === undefined || !allowed.includes(attr) || attr === 'srcset') return false;
        if (URL_ATTRIBUTES.has(attr)) {
          const url = (value ?? '').replace(/&amp;/g, '&');
          if (/^mailto:[^\s&]+$/i.test(url)) continue;
          if (safeHttpUrl(url) !== url) return false;
        }
      }
    }
    at = html.indexOf('<', at + whole.length);
  }
  return true;
}

const CACHE_LIMIT = 4000;
const cache = new Map<string, string>();

function resolveAttribute(attribs: sanitizeHtml.Attributes, name: string, base: string | undefined): void {
  const value = attribs[name];
  if (value === undefined || /^\s*data:/i.test(value)) return;
  const url = safeHttpUrl(value, base);
  if (url !== undefined) attribs[name] = url;
  // A mailto: link is fine as it is; anything else that is not http(s) goes (sanitize-html would drop it too).
  else if (!/^\s*mailto:/i.test(value)) delete attribs[name];
}

function optionsFor(base: string | undefined): sanitizeHtml.IOptions {
  const resolve =
    (...names: string[]): sanitizeHtml.Transformer =>
    (tagName, attribs) => {
      const copy = { ...attribs };
      for (const name of names) resolveAttribute(copy, name, base);
      for (const name of ['alt', 'title']) {
        const value = copy[name];
        if (value !== undefined) copy[name] = neutralizeText(value);
      }
      return { tagName, attribs: copy };
    };
  return {
    ...OPTIONS,
    transformTags: { a: resolve('href'), img: resolve('src'), blockquote: resolve('cite'), q: resolve('cite'), del: resolve('cite'), ins: resolve('cite') },
  };
}

/**
 * Sanitizes published HTML with a strict allowlist, makes link and image URLs absolute (against `base`, the story's
 * link or its feed), then defuses look-alike text. Deterministic and cached.
 */
export function sanitizeOutputHtml(html: string, base?: string): string {
  const key = `${base ?? ''}\n${html}`;
  const hit = cache.get(key);
  if (hit !== undefined) return hit;
  const stripped = stripIllegalXmlChars(html);
  const clean = isAlreadyClean(stripped) ? stripped.trim() : defuseHtml(sanitizeHtml(stripped, optionsFor(base))).trim();
  if (cache.size >= CACHE_LIMIT) {
    // Oldest first: Map keeps insertion order.
    const oldest = cache.keys().next();
    if (!oldest.done) cache.delete(oldest.value);
  }
  cache.set(key, clean);
  return clean;
}
