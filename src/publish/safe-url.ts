/**
 * An absolute http(s) URL fit for any output format, or undefined. Relative references are resolved against `base`
 * (the source's feed URL); anything else — another scheme, a bad host, credentials — is refused. `feed` throws
 * `Invalid URL` on one bad link and fails the whole section, so every URL passes through here first.
 */
export function safeHttpUrl(value: string | undefined, base?: string): string | undefined {
  if (value === undefined) return undefined;
  const trimmed = value.trim();
  if (trimmed === '') return undefined;
  let url: URL;
  try {
    url = base !== undefined && base !== '' ? new URL(trimmed, base) : new URL(trimmed);
  } catch {
    // Not a URL at all: the caller treats undefined as "no usable link".
    return undefined;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return undefined;
  if (url.hostname === '' || url.username !== '' || url.password !== '') return undefined;
  // WHATWG serialization percent-encodes quotes, spaces, < and >; what is left that could read as a script URL is
  // encoded too (`?u=javascript:x` → `?u=javascript%3Ax`), which servers decode to the same value.
  return url.href.replace(/(javascript|vbscript|livescript)(%20|\s)*:/gi, '$1%3A').replace(/data:text\/html/gi, 'data%3Atext/html');
}
