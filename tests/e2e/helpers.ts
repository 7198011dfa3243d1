import { execFile } from 'node:child_process';
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { stringify } from 'yaml';

export const repoRoot = fileURLToPath(new URL('../..', import.meta.url));

/**
 * The compiled CLI, as operators run it (`npm test` builds it first). Child processes do not run the TypeScript sources
 * through tsx: on Node 24, tsx's loader thread and better-sqlite3's exit hook abort the process at exit.
 */
export const CLI = join(repoRoot, 'dist/cli/main.js');

/** Every file under `dir` with its bytes and mtime, keyed by relative path. */
export function snapshotTree(dir: string): Map<string, { content: string; mtimeMs: number }> {
  const files = new Map<string, { content: string; mtimeMs: number }>();
  const walk = (d: string) => {
    for (const entry of readdirSync(d, { withFileTypes: true })) {
      const path = join(d, entry.name);
      if (entry.isDirectory()) walk(path);
      else files.set(relative(dir, path), { content: readFileSync(path, 'utf8'), mtimeMs: statSync(path).mtimeMs });
    }
  };
  walk(dir);
  return files;
}

/** Runs the compiled CLI in a child process. */
export async function runCli(args: string[], env: NodeJS.ProcessEnv = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, [CLI, ...args], {
      cwd: repoRoot,
      env: { ...process.env, LOG_LEVEL: 'info', NEWSMUX_LOG_FORMAT: 'json', ...env },
      maxBuffer: 64 << 20,
    });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof e.code === 'number' ? e.code : -1, stdout: e.stdout ?? '', stderr: e.stderr ?? '' };
  }
}

/** Writes a config over the bundled sample feeds (plus `extra` fields and sources) into `dir`; returns its path. */
export function writeSampleConfig(
  dir: string,
  feeds: readonly { id: string; name: string; url: string; country?: string }[],
  extra: { baseUrl?: string; sources?: object[]; [key: string]: unknown } = {},
): string {
  const { baseUrl = 'https://news.example/', sources = [], ...fields } = extra;
  const file = join(dir, 'config.yaml');
  writeFileSync(
    file,
    stringify({
      store: join(dir, 'store.db'),
      output: { dir: join(dir, 'public'), baseUrl, retentionDays: 3650 },
      sources: [...feeds.map((f) => ({ id: f.id, name: f.name, url: f.url, ...(f.country ? { country: f.country } : {}) })), ...sources],
      sections: {
        regions: { 'south-asia': ['AF', 'BD', 'BT', 'IN', 'LK', 'MV', 'NP', 'PK'] },
        custom: [{ id: 'afpak-security', title: 'Af-Pak security', countries: ['AF', 'PK'], topics: ['conflict', 'crime'] }],
      },
      ...fields,
    }),
  );
  return file;
}
