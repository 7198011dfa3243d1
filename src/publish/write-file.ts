import { randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';

/** The prefix of our temporary files: `.<name>.tmp-<pid>-<random>`, beside the file they replace. */
export const TEMP_FILE = /^\..+\.tmp-\d+-[0-9a-f]{8}$/;

/** Resolves a path under `outputDir`, refusing anything that would land outside it. */
export function resolveInside(outputDir: string, relativePath: string): string {
  const root = path.resolve(outputDir);
  if (relativePath === '' || path.isAbsolute(relativePath) || relativePath.split(/[\\/]/).some((p) => p === '..' || p === '')) {
    throw new Error(`publish: "${relativePath}" is not a relative path inside the output folder`);
  }
  const full = path.resolve(root, relativePath);
  if (!full.startsWith(root + path.sep)) throw new Error(`publish: "${relativePath}" leaves the output folder`);
  return full;
}

/**
 * Writes `content` (UTF-8) to `outputDir/relativePath` only when the bytes differ from what is there, atomically:
 * a temporary file in the same folder, then a rename, so a reader sees the old file or the new one, never half.
 * Returns false when the file already held these bytes. Creates folders as needed.
 */
export async function writeFileIfChanged(outputDir: string, relativePath: string, content: string): Promise<boolean> {
  const target = resolveInside(outputDir, relativePath);
  const bytes = Buffer.from(content, 'utf8');
  try {
    const current = await readFile(target);
    if (current.equals(bytes)) return false;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  const dir = path.dirname(target);
  await mkdir(dir, { recursive: true });
  const temp = path.join(dir, `.${path.basename(target)}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`);
  try {
    await writeFile(temp, bytes, { mode: 0o644 });
    await rename(temp, target);
  } catch (err) {
    await rm(temp, { force: true });
    throw err;
  }
  return true;
}
