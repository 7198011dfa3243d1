/** A header as undici hands it over: absent, one value, or repeated. */
export type HeaderValue = string | string[] | undefined;

/** The first value of a header that may repeat. */
export function firstHeader(value: HeaderValue): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

/**
 * `Retry-After` as milliseconds from `now`: delta-seconds or an HTTP date (RFC 9110 §10.2.3). A date in the past is 0;
 * anything unreadable is undefined.
 */
export function parseRetryAfter(value: HeaderValue, now: number): number | undefined {
  const raw = firstHeader(value)?.trim();
  if (!raw) return undefined;
  if (/^\d+$/.test(raw)) return Number(raw) * 1000;
  // An HTTP date names its month; without this, Date.parse reads "-5" or "2026" as dates.
  const at = /[a-z]/i.test(raw) ? Date.parse(raw) : Number.NaN;
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, at - now);
}

/**
 * `Cache-Control: max-age` as milliseconds, a hint of how long the publisher expects the feed to stay unchanged.
 * `no-cache` / `no-store` say nothing about that, so they give no hint rather than zero.
 */
export function parseMaxAge(value: HeaderValue): number | undefined {
  const raw = Array.isArray(value) ? value.join(',') : value;
  if (!raw) return undefined;
  const m = /(?:^|[,\s])max-age\s*=\s*"?(\d+)"?/i.exec(raw);
  return m?.[1] === undefined ? undefined : Number(m[1]) * 1000;
}
