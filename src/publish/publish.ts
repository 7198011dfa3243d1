import { readdir, rm, rmdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { type Logger, PublishError, type PublishedItem, type Section } from '../core/index.js';
import { FEED_FILES, type SiteOptions } from './feed-meta.js';
import type { SectionEntry } from './group-sections.js';
import { renderIndexHtml } from './index-html.js';
import { renderOpml } from './opml.js';
import { renderSectionFeedsWithProblems } from './section-feeds.js';
import { isSectionPath } from './sections.js';
import { TEMP_FILE, resolveInside, writeFileIfChanged } from './write-file.js';

const SECTION_PARENTS = ['country', 'topic', 'region', 'section'] as const;
// A temporary file this old was left by a writer that died; a live write takes milliseconds.
const STALE_TEMP_MS = 10 * 60_000;

async function write(site: SiteOptions, relativePath: string, content: string, section?: string): Promise<boolean> {
  try {
    return await writeFileIfChanged(site.outputDir, relativePath, content);
  } catch (err) {
    throw new PublishError(`publish: could not write ${relativePath} in ${site.outputDir}; check the folder exists and is writable`, {
      ...(section !== undefined ? { section } : {}),
      file: relativePath,
    }, { cause: err });
  }
}

/**
 * Renders each section's feed.xml, atom.xml and feed.json and writes those whose bytes changed. A story that cannot
 * be published is dropped with a warning; the section is still written. Throws PublishError when a file cannot be
 * written (the files already there stay intact).
 */
export async function publishSections(
  site: SiteOptions,
  sections: readonly { section: Section; items: readonly PublishedItem[] }[],
  log: Logger,
): Promise<{ filesWritten: number; sectionsWritten: number }> {
  let filesWritten = 0;
  let sectionsWritten = 0;
  for (const { section, items } of sections) {
    if (!isSectionPath(section.path)) {
      throw new PublishError(`publish: "${section.path}" is not a section folder name`, { section: section.path });
    }
    const { files, problems } = renderSectionFeedsWithProblems(section, items, site);
    for (const problem of problems) {
      const fields = { section: section.path, itemId: problem.itemId, field: problem.field, reason: problem.reason };
      if (problem.dropped) log.warn(fields, 'story left out of section');
      else log.debug(fields, 'story field left out');
    }
    let wroteAny = false;
    for (const name of FEED_FILES) {
      if (await write(site, `${section.path}/${name}`, files[name], section.path)) {
        filesWritten += 1;
        wroteAny = true;
      }
    }
    if (wroteAny) sectionsWritten += 1;
  }
  log.debug({ sections: sections.length, sectionsWritten, filesWritten }, 'sections published');
  return { filesWritten, sectionsWritten };
}

/** Writes index.html and feeds.opml when they changed, and clears temporary files left by a killed writer. */
export async function publishIndex(site: SiteOptions, entries: readonly SectionEntry[], log: Logger): Promise<{ filesWritten: number }> {
  let filesWritten = 0;
  if (await write(site, 'index.html', renderIndexHtml(entries, site))) filesWritten += 1;
  if (await write(site, 'feeds.opml', renderOpml(entries, site))) filesWritten += 1;
  await removeStaleTempFiles(site, log);
  return { filesWritten };
}

/**
 * Removes section folders (`country/xx`, …) that have no stories left. Call it after the new index is written, so
 * the index never links a missing folder. A path that is not a section folder is refused with a warning.
 */
export async function removeSections(site: SiteOptions, paths: readonly string[], log: Logger): Promise<void> {
  for (const sectionPath of paths) {
    if (!isSectionPath(sectionPath) || sectionPath === 'all') {
      log.warn({ section: sectionPath }, 'refusing to remove a folder that is not a removable section');
      continue;
    }
    const dir = resolveInside(site.outputDir, sectionPath);
    try {
      await rm(dir, { recursive: true, force: true });
    } catch (err) {
      throw new PublishError(`publish: could not remove section folder ${sectionPath}`, { section: sectionPath }, { cause: err });
    }
    log.info({ section: sectionPath }, 'section removed');
    const parent = path.dirname(dir);
    try {
      await rmdir(parent);
    } catch (err) {
      // The parent (`country/`) still holds other sections, or is already gone: both are fine.
      const code = (err as NodeJS.ErrnoException).code;
      if (code !== 'ENOTEMPTY' && code !== 'EEXIST' && code !== 'ENOENT') log.warn({ err, folder: path.basename(parent) }, 'could not remove empty folder');
    }
  }
}

/** The section folders currently published (those holding a feed.xml), e.g. `all`, `country/af`. */
export async function listPublishedSections(site: SiteOptions): Promise<string[]> {
  const found: string[] = [];
  const root = path.resolve(site.outputDir);
  if (await isFile(path.join(root, 'all', 'feed.xml'))) found.push('all');
  for (const parent of SECTION_PARENTS) {
    for (const name of await listDir(path.join(root, parent))) {
      const sectionPath = `${parent}/${name}`;
      if (isSectionPath(sectionPath) && (await isFile(path.join(root, parent, name, 'feed.xml')))) found.push(sectionPath);
    }
  }
  return found.sort();
}

async function listDir(dir: string): Promise<string[]> {
  try {
    return await readdir(dir);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return [];
    throw new PublishError(`publish: could not list ${dir}`, {}, { cause: err });
  }
}

async function isFile(file: string): Promise<boolean> {
  try {
    return (await stat(file)).isFile();
  } catch {
    // Missing or unreadable: not a published section either way.
    return false;
  }
}

async function removeStaleTempFiles(site: SiteOptions, log: Logger): Promise<void> {
  const root = path.resolve(site.outputDir);
  const dirs = [root, ...(await listPublishedSections(site)).map((p) => path.join(root, p))];
  const now = Date.now();
  for (const dir of dirs) {
    for (const name of await listDir(dir)) {
      if (!TEMP_FILE.test(name)) continue;
      const file = path.join(dir, name);
      try {
        if (now - (await stat(file)).mtimeMs < STALE_TEMP_MS) continue;
        await rm(file, { force: true });
        log.info({ file: path.relative(root, file) }, 'stale temporary file removed');
      } catch (err) {
        log.warn({ err, file: path.relative(root, file) }, 'could not remove stale temporary file');
      }
    }
  }
}
