import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Logger, PublishedItem, Section } from '../core/index.js';
import { PublishError } from '../core/index.js';
import {
  type SiteOptions,
  listPublishedSections,
  planSections,
  publishIndex,
  publishSections,
  removeSections,
  writeFileIfChanged,
} from './index.js';

/** A logger that keeps what it was told, for assertions. */
function recordingLogger(): Logger & { records: { level: string; obj: object; msg?: string }[] } {
  const records: { level: string; obj: object; msg?: string }[] = [];
  const fn = (level: string) => (obj: object | string, msg?: string) => {
    if (typeof obj === 'string') records.push({ level, obj: {}, msg: obj });
    else records.push({ level, obj, ...(msg !== undefined ? { msg } : {}) });
  };
  const log = {
    records,
    trace: fn('trace'),
    debug: fn('debug'),
    info: fn('info'),
    warn: fn('warn'),
    error: fn('error'),
    fatal: fn('fatal'),
    child: () => log,
  };
  return log as Logger & { records: typeof records };
}

function listTree(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string): void => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else out.push(path.relative(dir, p));
    }
  };
  if (existsSync(dir)) walk(dir);
  return out.sort();
}

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'newsmux-publish-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('writeFileIfChanged', () => {
  it('writes a new file, creating folders, and returns true', async () => {
    expect(await writeFileIfChanged(dir, 'country/af/feed.xml', 'one')).toBe(true);
    expect(readFileSync(path.join(dir, 'country/af/feed.xml'), 'utf8')).toBe('one');
  });

  it('returns false and leaves the file untouched when the bytes are the same', async () => {
    await writeFileIfChanged(dir, 'all/feed.xml', 'same ✓');
    const file = path.join(dir, 'all/feed.xml');
    const past = new Date(Date.UTC(2020, 0, 1));
    utimesSync(file, past, past);
    const before = statSync(file);
    expect(await writeFileIfChanged(dir, 'all/feed.xml', 'same ✓')).toBe(false);
    const after = statSync(file);
    expect(after.mtimeMs).toBe(before.mtimeMs);
    expect(after.ino).toBe(before.ino);
  });

  it('replaces a changed file by rename: a reader holding the old file keeps reading the old bytes', async () => {
    await writeFileIfChanged(dir, 'all/feed.xml', 'old content');
    const file = path.join(dir, 'all/feed.xml');
    const before = statSync(file).ino;
    expect(await writeFileIfChanged(dir, 'all/feed.xml', 'new content')).toBe(true);
    expect(statSync(file).ino).not.toBe(before);
    expect(readFileSync(file, 'utf8')).toBe('new content');
    expect(listTree(dir)).toEqual(['all/feed.xml']);
  });

  it('never lets a concurrent reader see half a file', async () => {
    const a = `${'A'.repeat(1 << 20)}\n`;
    const b = `${'B'.repeat(1 << 20)}\n`;
    await writeFileIfChanged(dir, 'all/feed.xml', a);
    let stop = false;
    const seen = new Set<string>();
    const reader = (async () => {
      while (!stop) {
        const text = await readFile(path.join(dir, 'all/feed.xml'), 'utf8');
        seen.add(text === a ? 'a' : text === b ? 'b' : `torn:${text.length}`);
      }
    })();
    for (let i = 0; i < 30; i += 1) await writeFileIfChanged(dir, 'all/feed.xml', i % 2 === 0 ? b : a);
    stop = true;
    await reader;
    expect([...seen].filter((s) => s.startsWith('torn'))).toEqual([]);
    expect(listTree(dir)).toEqual(['all/feed.xml']);
  });

  it.each(['../escape.xml', '/etc/passwd', 'all/../../x', '', 'all//feed.xml'])('refuses the path %j', async (p) => {
    await expect(writeFileIfChanged(dir, p, 'x')).rejects.toThrow(/publish:/);
  });

  it('fails without harming the file already there when the folder cannot be written', async () => {
    await writeFileIfChanged(dir, 'all/feed.xml', 'published');
    writeFileSync(path.join(dir, 'country'), 'a file where a folder should be');
    await expect(writeFileIfChanged(dir, 'country/af/feed.xml', 'x')).rejects.toThrow();
    expect(readFileSync(path.join(dir, 'all/feed.xml'), 'utf8')).toBe('published');
  });
});

const item = (id: string, over: Partial<PublishedItem> = {}): PublishedItem => ({
  id,
  url: `https://outlet.example/${id}`,
  title: `Story ${id}`,
  summaryHtml: `<p>About ${id}.</p>`,
  publishedAt: Date.UTC(2024, 4, 1, 12),
  updatedAt: Date.UTC(2024, 4, 1, 12),
  sourceId: 'outlet',
  sourceName: 'Outlet',
  sourceFeedUrl: 'https://outlet.example/feed',
  tags: { countries: ['AF'], topics: ['conflict'] },
  alsoReportedBy: [],
  ...over,
});

describe('publishSections, publishIndex, removeSections', () => {
  const site = (): SiteOptions => ({ outputDir: path.join(dir, 'public'), baseUrl: 'https://news.example/', title: 'newsmux' });
  const sections = planSections({ regions: {}, custom: [], countries: ['AF', 'PK'], topics: ['conflict'] });
  const byPath = (p: string): Section => {
    const s = sections.find((x) => x.path === p);
    if (s === undefined) throw new Error(p);
    return s;
  };
  const entries = (items: readonly PublishedItem[]) =>
    sections.map((section) => ({
      section,
      summary: { path: section.path, itemCount: items.length, updatedAt: Date.UTC(2024, 4, 1, 12), latestTitles: items.slice(0, 3).map((i) => ({ title: i.title, url: i.url })) },
    }));

  it('writes each section once, then nothing on a pass with nothing new, then only what changed', async () => {
    const log = recordingLogger();
    const items = [item('aaa000000001'), item('bbb000000002')];
    const input = sections.map((section) => ({ section, items }));
    expect(await publishSections(site(), input, log)).toEqual({ filesWritten: 12, sectionsWritten: 4 });
    expect(await publishIndex(site(), entries(items), log)).toEqual({ filesWritten: 2 });
    expect(listTree(site().outputDir)).toEqual([
      'all/atom.xml', 'all/feed.json', 'all/feed.xml',
      'country/af/atom.xml', 'country/af/feed.json', 'country/af/feed.xml',
      'country/pk/atom.xml', 'country/pk/feed.json', 'country/pk/feed.xml',
      'feeds.opml', 'index.html',
      'topic/conflict/atom.xml', 'topic/conflict/feed.json', 'topic/conflict/feed.xml',
    ]);

    const mtimes = new Map(listTree(site().outputDir).map((f) => [f, statSync(path.join(site().outputDir, f)).mtimeMs]));
    expect(await publishSections(site(), input, log)).toEqual({ filesWritten: 0, sectionsWritten: 0 });
    expect(await publishIndex(site(), entries(items), log)).toEqual({ filesWritten: 0 });
    for (const [f, m] of mtimes) expect(statSync(path.join(site().outputDir, f)).mtimeMs, f).toBe(m);

    const updated = [item('aaa000000001', { title: 'Story aaa, updated', updatedAt: Date.UTC(2024, 4, 1, 13) }), items[1] as PublishedItem];
    expect(await publishSections(site(), [{ section: byPath('country/af'), items: updated }], log)).toEqual({ filesWritten: 3, sectionsWritten: 1 });
    expect(readFileSync(path.join(site().outputDir, 'country/af/feed.xml'), 'utf8')).toContain('Story aaa, updated');
    expect(log.records.filter((r) => r.level === 'warn')).toEqual([]);
  });

  it('drops a story it cannot publish with a warning, and still writes the section', async () => {
    const log = recordingLogger();
    const items = [item('good00000001'), item('bad000000002', { url: 'javascript:alert(1)' })];
    expect(await publishSections(site(), [{ section: byPath('all'), items }], log)).toEqual({ filesWritten: 3, sectionsWritten: 1 });
    const json = JSON.parse(readFileSync(path.join(site().outputDir, 'all/feed.json'), 'utf8')) as { items: { id: string }[] };
    expect(json.items.map((i) => i.id)).toEqual(['good00000001']);
    expect(log.records.filter((r) => r.level === 'warn')).toEqual([
      { level: 'warn', obj: expect.objectContaining({ section: 'all', itemId: 'bad000000002', field: 'url' }), msg: 'story left out of section' },
    ]);
  });

  it('ends with a PublishError naming the file when it cannot write, leaving published files as they were', async () => {
    const log = recordingLogger();
    await publishSections(site(), [{ section: byPath('all'), items: [item('aaa000000001')] }], log);
    const before = readFileSync(path.join(site().outputDir, 'all/feed.xml'), 'utf8');
    writeFileSync(path.join(site().outputDir, 'country'), 'not a folder');
    const failure = publishSections(site(), [{ section: byPath('all'), items: [item('bbb000000002')] }, { section: byPath('country/af'), items: [item('bbb000000002')] }], log);
    await expect(failure).rejects.toBeInstanceOf(PublishError);
    await expect(failure).rejects.toMatchObject({ section: 'country/af', file: 'country/af/feed.xml' });
    expect(readFileSync(path.join(site().outputDir, 'all/feed.xml'), 'utf8')).not.toBe(before);
  });

  it('lists published sections and removes those left without stories, with their empty parent folder', async () => {
    const log = recordingLogger();
    const items = [item('aaa000000001')];
    await publishSections(site(), sections.map((section) => ({ section, items })), log);
    expect(await listPublishedSections(site())).toEqual(['all', 'country/af', 'country/pk', 'topic/conflict']);

    await removeSections(site(), ['country/pk'], log);
    expect(await listPublishedSections(site())).toEqual(['all', 'country/af', 'topic/conflict']);
    expect(existsSync(path.join(site().outputDir, 'country/af/feed.xml'))).toBe(true);

    await removeSections(site(), ['topic/conflict'], log);
    expect(existsSync(path.join(site().outputDir, 'topic'))).toBe(false);
    expect(log.records.filter((r) => r.msg === 'section removed').map((r) => r.obj)).toEqual([{ section: 'country/pk' }, { section: 'topic/conflict' }]);
  });

  it.each(['all', '../public', 'country/../../etc', 'index.html', 'country'])('refuses to remove %j', async (p) => {
    const log = recordingLogger();
    await publishSections(site(), [{ section: byPath('all'), items: [item('aaa000000001')] }], log);
    await removeSections(site(), [p], log);
    expect(existsSync(path.join(site().outputDir, 'all/feed.xml'))).toBe(true);
    expect(log.records.some((r) => r.level === 'warn')).toBe(true);
  });

  it('lists nothing before the first pass', async () => {
    expect(await listPublishedSections(site())).toEqual([]);
  });

  it('clears temporary files left by a killed writer, but not a fresh one', async () => {
    const log = recordingLogger();
    await publishSections(site(), [{ section: byPath('all'), items: [item('aaa000000001')] }], log);
    const stale = path.join(site().outputDir, 'all', '.feed.xml.tmp-4242-0badc0de');
    const fresh = path.join(site().outputDir, '.index.html.tmp-4243-0123abcd');
    writeFileSync(stale, 'half a fi');
    writeFileSync(fresh, 'in progr');
    const old = new Date(Date.now() - 3600_000);
    utimesSync(stale, old, old);
    await publishIndex(site(), entries([]), log);
    expect(existsSync(stale)).toBe(false);
    expect(existsSync(fresh)).toBe(true);
  });
});
