import type sanitizeHtml from 'sanitize-html';
import { absoluteHttpUrl } from './canonical-url.js';

/**
 * What survives in item HTML: text structure, links, images, tables, media with sources. Everything else is dropped
 * with its tags but keeps its text (sanitize-html's `discard` mode); script, style and friends lose their text too.
 * No style attributes at all (CSS `expression()`, `url(javascript:)`, and layout that breaks readers), no class/id,
 * no event handlers, no forms, no frames, no plugins.
 */
export const ALLOWED_TAGS = [
  'a', 'abbr', 'address', 'article', 'aside', 'audio', 'b', 'bdi', 'bdo', 'blockquote', 'br', 'caption', 'cite',
  'code', 'col', 'colgroup', 'data', 'dd', 'del', 'details', 'dfn', 'div', 'dl', 'dt', 'em', 'figcaption', 'figure',
  'footer', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'header', 'hr', 'i', 'img', 'ins', 'kbd', 'li', 'main', 'mark', 'ol',
  'p', 'picture', 'pre', 'q', 'rp', 'rt', 'ruby', 's', 'samp', 'section', 'small', 'source', 'span', 'strong', 'sub',
  'summary', 'sup', 'table', 'tbody', 'td', 'tfoot', 'th', 'thead', 'time', 'tr', 'u', 'ul', 'var', 'video', 'wbr',
];

export const ALLOWED_ATTRIBUTES: Record<string, string[]> = {
  '*': ['dir', 'lang'],
  a: ['href', 'title', 'hreflang'],
  img: ['src', 'srcset', 'alt', 'title', 'width', 'height'],
  source: ['src', 'srcset', 'type', 'media', 'sizes'],
  video: ['src', 'poster', 'controls', 'width', 'height'],
  audio: ['src', 'controls'],
  blockquote: ['cite'],
  q: ['cite'],
  del: ['cite', 'datetime'],
  ins: ['cite', 'datetime'],
  time: ['datetime'],
  data: ['value'],
  td: ['colspan', 'rowspan', 'headers'],
  th: ['colspan', 'rowspan', 'headers', 'scope'],
  col: ['span'],
  colgroup: ['span'],
  ol: ['start', 'type', 'reversed'],
  li: ['value'],
  abbr: ['title'],
  dfn: ['title'],
};

/** Elements whose text is not content (code, styles, form option labels, templates, a page head's title). */
export const NON_TEXT_TAGS = ['script', 'style', 'textarea', 'option', 'template', 'title', 'xmp', 'noembed', 'noframes'];

/** Raster data: URLs are the only data: URLs kept (inline images); SVG data can script, HTML data is a page. */
const SAFE_DATA_IMAGE = /^data:image\/(?:png|gif|jpe?g|webp|avif|bmp);/i;

/** Base URL for the relative links of the document being sanitized (sanitize is synchronous; set per call). */
let currentBase: string | undefined;

/** Run `fn` with `base` as the base of relative URLs for the transforms below. */
export function withBase<T>(base: string | undefined, fn: () => T): T {
  currentBase = base;
  try {
    return fn();
  } finally {
    currentBase = undefined;
  }
}

function resolveAttr(attribs: Record<string, string>, name: string, allowDataImage: boolean): void {
  const value = attribs[name];
  if (value === undefined) return;
  const v = value.trim();
  if (/^data:/i.test(v)) {
    if (!(allowDataImage && SAFE_DATA_IMAGE.test(v))) delete attribs[name];
    return;
  }
  // Absolute URLs with another scheme are left to sanitize-html's scheme allowlist.
  if (/^[a-z][a-z0-9+.-]*:/i.test(v) && !/^https?:/i.test(v)) return;
  const abs = absoluteHttpUrl(v, currentBase);
  if (abs) attribs[name] = abs.href;
  else if (!/^(?:mailto|tel):/i.test(v)) delete attribs[name];
}

/** A srcset descriptor as the HTML spec allows it (width, density, the legacy height). */
const SRCSET_DESCRIPTOR = /^(?:\d+w|\d+(?:\.\d+)?x|\d+h)$/;

/**
 * Resolve each srcset candidate; drop the attribute when any candidate is malformed (sanitize-html's srcset parser
 * would print a warning to stdout for it, and `src` still carries the image).
 */
function resolveSrcset(attribs: Record<string, string>): void {
  const srcset = attribs.srcset;
  if (srcset === undefined) return;
  const parts: string[] = [];
  for (const candidate of srcset.split(/,\s+/)) {
    const [url, ...descriptor] = candidate.trim().split(/\s+/);
    if (!url || url.includes(',') || descriptor.some((d) => !SRCSET_DESCRIPTOR.test(d))) {
      delete attribs.srcset;
      return;
    }
    if (/^data:/i.test(url)) continue;
    const abs = absoluteHttpUrl(url, currentBase);
    if (abs) parts.push([abs.href, ...descriptor].join(' '));
  }
  if (parts.length) attribs.srcset = parts.join(', ');
  else delete attribs.srcset;
}

function transformer(urlAttrs: string[], opts: { dataImage?: boolean; srcset?: boolean; lazy?: boolean } = {}) {
  return (tagName: string, attribs: Record<string, string>) => {
    if (opts.lazy) {
      // Lazy-loading markup: the real image is in data-src and src is a placeholder (or missing).
      const lazy = attribs['data-src'] ?? attribs['data-lazy-src'] ?? attribs['data-original'];
      if (lazy && (!attribs.src || /^data:/i.test(attribs.src.trim()))) attribs.src = lazy;
    }
    for (const name of urlAttrs) resolveAttr(attribs, name, opts.dataImage === true);
    if (opts.srcset) resolveSrcset(attribs);
    return { tagName, attribs };
  };
}

/** URL-resolving transforms per tag (also used by the fast path, so both resolve identically). */
export const TRANSFORMS: Readonly<Record<string, (tagName: string, attribs: Record<string, string>) => { tagName: string; attribs: Record<string, string> }>> = {
  a: transformer(['href']),
  img: transformer(['src'], { dataImage: true, srcset: true, lazy: true }),
  source: transformer(['src'], { srcset: true }),
  video: transformer(['src', 'poster']),
  audio: transformer(['src']),
  blockquote: transformer(['cite']),
  q: transformer(['cite']),
  del: transformer(['cite']),
  ins: transformer(['cite']),
};

export const ALLOWED_SCHEMES = ['http', 'https', 'mailto', 'tel'];
export const ALLOWED_SCHEMES_BY_TAG: Readonly<Record<string, string[]>> = { img: ['http', 'https', 'data'] };
export const SCHEME_ATTRIBUTES = ['href', 'src', 'cite', 'poster'];

export const SANITIZE_OPTIONS: sanitizeHtml.IOptions = {
  allowedTags: ALLOWED_TAGS,
  allowedAttributes: ALLOWED_ATTRIBUTES,
  allowedSchemes: ALLOWED_SCHEMES,
  allowedSchemesByTag: ALLOWED_SCHEMES_BY_TAG,
  allowedSchemesAppliedToAttributes: SCHEME_ATTRIBUTES,
  allowProtocolRelative: false,
  nonTextTags: NON_TEXT_TAGS,
  disallowedTagsMode: 'discard',
  transformTags: TRANSFORMS,
};

