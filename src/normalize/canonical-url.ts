/**
 * Query parameters that only track where a click came from. Removing them makes the same article from two feeds
 * (or from a feed and a newsletter) the same URL. Exact names plus the prefixes below; anything else is kept.
 */
const TRACKING_PARAMS = new Set([
  'fbclid',
  'gclid',
  'gclsrc',
  'dclid',
  'gbraid',
  'wbraid',
  'msclkid',
  'yclid',
  'twclid',
  'ttclid',
  'igshid',
  'mc_cid',
  'mc_eid',
  '_ga',
  '_gl',
  '_hsenc',
  '_hsmi',
  'mkt_tok',
  'oly_anon_id',
  'oly_enc_id',
  'vero_id',
  'vero_conv',
  'wickedid',
  'rb_clickid',
  's_cid',
  'ncid',
  'cmpid',
  'ocid',
  'ito',
  'xtor',
  'ref_src',
]);
/** `utm_*` (Google Analytics), `mc_*` (Mailchimp), `at_*` (AT Internet: BBC feeds add `at_medium=RSS&at_campaign=…`),
 * `pk_*`/`piwik_*`/`mtm_*` (Matomo), `hsa_*` (HubSpot ads). */
const TRACKING_PREFIXES = ['utm_', 'mc_', 'at_', 'pk_', 'piwik_', 'mtm_', 'hsa_'];

function isTrackingParam(name: string): boolean {
  const n = name.toLowerCase();
  if (TRACKING_PARAMS.has(n)) return true;
  for (const p of TRACKING_PREFIXES) if (n.startsWith(p)) return true;
  return false;
}

/**
 * Longer web URLs are refused: servers and CDNs turn away requests past 8–16 KB, so such a link leads nowhere, and
 * parsing a megabyte-long one (a hostile enclosure) took hundreds of MB of a feed thread's heap.
 */
export const MAX_URL_CHARS = 16_384;

/**
 * Parse `url` (against `base` when relative) into an absolute http(s) URL, or undefined. Tolerates what feeds write:
 * surrounding whitespace, `feed:` / `feed://` wrappers, scheme-less `www.` hosts.
 */
export function absoluteHttpUrl(url: string | undefined, base?: string): URL | undefined {
  if (url === undefined || url.length > MAX_URL_CHARS) return undefined;
  let s = url.trim();
  if (!s) return undefined;
  if (/^feed:/i.test(s)) {
    // feed://host/path and feed:https://host/path
    s = s.replace(/^feed:(?:\/\/)?/i, '');
    if (!/^[a-z][a-z0-9+.-]*:/i.test(s)) s = `http://${s}`;
  }
  if (/^www\./i.test(s)) s = `http://${s}`;
  let parsed: URL;
  try {
    parsed = base ? new URL(s, base) : new URL(s);
  } catch {
    return undefined;
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return undefined;
  if (!parsed.hostname) return undefined;
  return parsed;
}

/**
 * The canonical form of an article URL: absolute (resolved against `base`), http(s) only, fragment removed,
 * tracking parameters (utm_*, fbclid, gclid, mc_*, at_*, …) removed, host lower-cased, default port dropped,
 * credentials dropped. Undefined when the input is not a usable web URL.
 */
export function canonicalizeUrl(url: string, base?: string): string | undefined {
  const parsed = absoluteHttpUrl(url, base);
  if (!parsed) return undefined;
  parsed.hash = '';
  parsed.username = '';
  parsed.password = '';
  if (parsed.search) {
    // Rebuild by hand rather than through URLSearchParams, which would re-encode every kept parameter.
    const kept = parsed.search
      .slice(1)
      .split('&')
      .filter((pair) => {
        if (pair === '') return false;
        const eq = pair.indexOf('=');
        const rawName = eq < 0 ? pair : pair.slice(0, eq);
        let name = rawName;
        try {
          name = decodeURIComponent(rawName.replace(/\+/g, ' '));
        } catch {
          // A malformed escape in the name: judge the raw name.
        }
        return !isTrackingParam(name);
      });
    parsed.search = kept.length ? `?${kept.join('&')}` : '';
  }
  return parsed.href;
}

/** An absolute http(s) URL for an image, enclosure or link inside content: resolved, otherwise left as written. */
export function resolveHttpUrl(url: string | undefined, base?: string): string | undefined {
  return absoluteHttpUrl(url, base)?.href;
}
