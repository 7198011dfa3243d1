import { basename, extname } from 'node:path';

/** What a file is served as, and whether compressing it pays. */
export interface FileType {
  readonly contentType: string;
  readonly compressible: boolean;
}

// The publisher's fixed names say which feed format a file holds; a bare `.xml` or `.json` could be anything.
const BY_NAME: Readonly<Record<string, string>> = {
  'feed.xml': 'application/rss+xml',
  'atom.xml': 'application/atom+xml',
  'feed.json': 'application/feed+json',
};

const BY_EXTENSION: Readonly<Record<string, string>> = {
  '.html': 'text/html',
  '.htm': 'text/html',
  '.opml': 'text/x-opml',
  '.xml': 'application/xml',
  '.xsl': 'application/xslt+xml',
  '.json': 'application/json',
  '.txt': 'text/plain',
  '.css': 'text/css',
  '.js': 'text/javascript',
  '.mjs': 'text/javascript',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
};

const TEXTUAL = /^text\/|\+xml$|\+json$|^application\/(xml|json|javascript)$/;

/** Content type (with `charset=utf-8` for text; the publisher writes only UTF-8) and compressibility of a file. */
export function lookupFileType(path: string): FileType {
  const type = BY_NAME[basename(path).toLowerCase()] ?? BY_EXTENSION[extname(path).toLowerCase()];
  if (type === undefined) return { contentType: 'application/octet-stream', compressible: false };
  const textual = TEXTUAL.test(type);
  return { contentType: textual ? `${type}; charset=utf-8` : type, compressible: textual };
}
