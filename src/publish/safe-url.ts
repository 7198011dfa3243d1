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
  return url.href
    .replace(/(javascript|vbscript|livescript)(%20|\s)*:/gi, '$1%3A')
    .replace(/data:text\/html/gi, 'data%3Atext/html')
    .replace(EVENT_HANDLER_PARAM, '$1%3D');
}

// Query keys named like DOM event handlers (`?onerror=`) only appear in attack strings; the `=` is encoded so that
// no output reads `onerror=` even after a reader decodes the attribute. Ordinary keys (`?online=`) are untouched.
const EVENT_HANDLER_PARAM =
  /(?<![a-z])(on(?:abort|afterprint|animation[a-z]*|beforeprint|beforeunload|begin|blur|canplay[a-z]*|change|click|contextmenu|copy|cut|dblclick|drag[a-z]*|drop|end|ended|error|focus[a-z]*|hashchange|input|invalid|key[a-z]*|load[a-z]*|message|mouse[a-z]*|pagehide|pageshow|paste|pause|play[a-z]*|pointer[a-z]*|popstate|progress|readystatechange|repeat|reset|resize|scroll|search|select|show|storage|submit|timeupdate|toggle|touch[a-z]*|transition[a-z]*|unload|wheel))=/gi;
