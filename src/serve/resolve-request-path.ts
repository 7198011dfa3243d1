import { join } from 'node:path';

/** Where a request points inside the served folder, before symlinks are resolved. */
export interface RequestTarget {
  /** The URL path as sent (still percent-encoded), without query; used to build redirects. */
  readonly urlPath: string;
  /** The query string including `?`, or ''. */
  readonly query: string;
  /** `root` joined with the decoded segments. */
  readonly fsPath: string;
  readonly trailingSlash: boolean;
}

/**
 * Maps a request target to a path under `root`, or undefined when the target cannot name a file there: malformed
 * percent-encoding, a NUL byte, a backslash (encoded or not), a `..` segment (encoded or not) or any other dot-named
 * segment (dotfiles and the publisher's temporary files stay private). Symlinks are the caller's job (realpath).
 */
export function resolveRequestPath(root: string, requestUrl: string | undefined): RequestTarget | undefined {
  if (requestUrl === undefined) return undefined;
  let target = requestUrl;
  if (!target.startsWith('/')) {
    // absolute-form (`GET http://host/path`) is legal HTTP/1.1; anything else (`*`, `host:port`) names no file.
    if (!/^https?:\/\//i.test(target)) return undefined;
    try {
      const url = new URL(target);
      target = url.pathname + url.search;
    } catch {
      return undefined; // an unparseable absolute URL names no file: a plain 404
    }
  }
  const hash = target.indexOf('#');
  if (hash !== -1) target = target.slice(0, hash);
  const q = target.indexOf('?');
  const urlPath = q === -1 ? target : target.slice(0, q);
  const query = q === -1 ? '' : target.slice(q);
  if (urlPath.includes('\\')) return undefined;
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return undefined; // malformed percent-encoding names no file
  }
  if (decoded.includes('\0') || decoded.includes('\\')) return undefined;
  const segments: string[] = [];
  for (const segment of decoded.split('/')) {
    if (segment === '' || segment === '.') continue;
    if (segment.startsWith('.')) return undefined;
    segments.push(segment);
  }
  return { urlPath, query, fsPath: join(root, ...segments), trailingSlash: decoded.endsWith('/') };
}
