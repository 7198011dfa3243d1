import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { parseStrictXml } from '../e2e/strict-xml.js';

/** Every published file under `dir` (relative path → text). */
export function publishedFiles(dir: string): Map<string, string> {
  const files = new Map<string, string>();
  const walk = (d: string) => {
    for (const entry of readdirSync(d, { withFileTypes: true })) {
      const path = join(d, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (!entry.name.startsWith('.')) files.set(relative(dir, path), readFileSync(path, 'utf8'));
    }
  };
  walk(dir);
  return files;
}

/** Throws naming the file when a published file does not parse (strict XML for .xml/.opml, JSON for .json). */
export function assertPublishedFilesValid(files: Map<string, string>): void {
  for (const [path, content] of files) {
    try {
      if (path.endsWith('.xml') || path.endsWith('.opml')) parseStrictXml(content);
      else if (path.endsWith('.json')) JSON.parse(content);
    } catch (err) {
      throw new Error(`${path} does not parse: ${(err as Error).message}`);
    }
  }
}

/** The `<guid>` values of an RSS document. */
export function rssGuids(xml: string): string[] {
  return [...xml.matchAll(/<guid[^>]*>([^<]*)<\/guid>/g)].map((m) => m[1] as string);
}
