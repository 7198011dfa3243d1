import { execFile, spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { basename, delimiter, join, posix } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { startSampleFeedServer } from '../../src/demo/sample-feed-server.js';
import { isDockerIgnored, readDockerignore, readEnv, readStages } from './dockerfile.js';
import type { Stage } from './dockerfile.js';

const repo = fileURLToPath(new URL('../..', import.meta.url));
const dockerfileText = readFileSync(join(repo, 'Dockerfile'), 'utf8');
const { args, stages } = readStages(dockerfileText);
const buildStage = stages.find((s) => s.name === 'build')!;
const runtimeStage = stages.at(-1)!;
const ignorePatterns = readDockerignore(readFileSync(join(repo, '.dockerignore'), 'utf8'));

const all = (stage: Stage, keyword: string): string[] => stage.instructions.filter((i) => i.keyword === keyword).map((i) => i.args);
const one = (stage: Stage, keyword: string): string => {
  const found = all(stage, keyword);
  expect(found, keyword).toHaveLength(1);
  return found[0]!;
};

describe('the Dockerfile passes a real linter (dockerfile-utils, as in VS Code Docker)', () => {
  it('has no diagnostics, warnings counted as errors', async (ctx) => {
    let linter: typeof import('dockerfile-utils');
    try {
      linter = await import('dockerfile-utils');
    } catch (err) {
      console.warn(`\n*** SKIPPED: Dockerfile lint: dockerfile-utils is not installed (npm ci installs it): ${String(err)}\n`);
      ctx.skip();
      return;
    }
    const E = linter.ValidationSeverity.ERROR;
    const diagnostics = linter.validate(dockerfileText, {
      deprecatedMaintainer: E,
      directiveCasing: E,
      emptyContinuationLine: E,
      instructionCasing: E,
      instructionCmdMultiple: E,
      instructionEntrypointMultiple: E,
      instructionHealthcheckMultiple: E,
      instructionJSONInSingleQuotes: E,
      instructionWorkdirRelative: E,
    });
    expect(diagnostics.map((d) => `Dockerfile:${d.range.start.line + 1}: ${d.message}`)).toEqual([]);
  });
});

describe('the Dockerfile does what issue 5 asks', () => {
  it('builds from Node 24 slim in two stages', () => {
    const image = /^NODE_IMAGE=(\S+)$/.exec(args.find((a) => a.keyword === 'ARG')?.args ?? '')?.[1];
    expect(image).toMatch(/^node:24(\.\d+)*-\w+-slim$/);
    expect(stages.map((s) => s.from)).toEqual(['${NODE_IMAGE}', '${NODE_IMAGE}']);
    expect(stages.map((s) => s.name)).toEqual(['build', 'runtime']);
  });

  it('installs in the build stage only, compiling nothing: the driver on Node 24 ships its binary', () => {
    expect(all(runtimeStage, 'RUN').join(' ')).not.toMatch(/apt-get|npm (ci|install)/);
    expect(all(buildStage, 'RUN').join(' ')).not.toMatch(/apt-get|node-gyp|npm rebuild/);
    const npm = all(buildStage, 'RUN').filter((r) => r.startsWith('npm'));
    expect(npm).toEqual(['npm ci --ignore-scripts', 'npm run build', 'npm prune --omit=dev --ignore-scripts']);
  });

  it('runs as a non-root user with /data and /public volumes, newsmux start by default', () => {
    const user = one(runtimeStage, 'USER');
    expect(user).not.toMatch(/^(root|0)(:|$)/);
    expect(JSON.parse(one(runtimeStage, 'VOLUME'))).toEqual(['/data', '/public']);
    expect(one(runtimeStage, 'EXPOSE')).toBe('8080');
    expect(JSON.parse(one(runtimeStage, 'ENTRYPOINT'))).toEqual(['newsmux']);
    expect(JSON.parse(one(runtimeStage, 'CMD'))).toEqual(['start']);
    expect(readEnv(runtimeStage)).toMatchObject({ NEWSMUX_STORE: '/data/newsmux.db', NEWSMUX_OUTPUT_DIR: '/public', NODE_ENV: 'production' });
  });

  it('checks health on /healthz with Node itself (no curl in slim images)', () => {
    const healthcheck = one(runtimeStage, 'HEALTHCHECK');
    const command = JSON.parse(healthcheck.replace(/^.*?\bCMD\s+/, '')) as string[];
    expect(command[0]).toBe('node');
    expect(readEnv(runtimeStage).NEWSMUX_HEALTH_URL).toBe('http://127.0.0.1:8080/healthz');
    expect(healthcheck).toMatch(/--start-period=\d+s/);
  });

  it.each([
    { path: 'node_modules/pino/package.json', ignored: true },
    { path: '.git/HEAD', ignored: true },
    { path: 'dist/cli/main.js', ignored: true },
    { path: 'data/newsmux.db-wal', ignored: true },
    { path: 'public/all/feed.xml', ignored: true },
    { path: 'tests/e2e/pass.test.ts', ignored: true },
    { path: 'npm-debug.log', ignored: true },
    { path: 'package.json', ignored: false },
    { path: 'package-lock.json', ignored: false },
    { path: 'tsconfig.json', ignored: false },
    { path: 'tsconfig.build.json', ignored: false },
    { path: 'src/cli/main.ts', ignored: false },
    { path: 'config/default.yaml', ignored: false },
  ])('.dockerignore: $path ignored is $ignored', ({ path, ignored }) => {
    expect(isDockerIgnored(ignorePatterns, path)).toBe(ignored);
  });
});

describe('docker-compose.yml', () => {
  const compose = parse(readFileSync(join(repo, 'docker-compose.yml'), 'utf8')) as {
    services: Record<string, { build?: string; profiles?: string[]; volumes?: string[]; environment?: Record<string, string>; depends_on?: Record<string, { required?: boolean }> }>;
    volumes: Record<string, unknown>;
  };

  it('runs the worker from this Dockerfile on the two volumes, PostgreSQL only under its profile', () => {
    const worker = compose.services.newsmux!;
    expect(worker.build).toBe('.');
    expect(worker.profiles).toBeUndefined();
    expect(worker.volumes).toEqual(['newsmux-data:/data', 'newsmux-public:/public']);
    expect(worker.depends_on?.postgres?.required).toBe(false);
    expect(compose.services.postgres!.profiles).toEqual(['postgres']);
    const named = Object.values(compose.services).flatMap((s) => (s.volumes ?? []).map((v) => v.split(':')[0]!));
    for (const volume of named) expect(Object.keys(compose.volumes)).toContain(volume);
  });
});

// ---------------------------------------------------------------------------------------------------------------
// The image's build and start steps, run outside Docker (no Docker engine here): the build stage's own RUN lines
// in a scratch copy of the build context, then the runtime stage's files, ENV, ENTRYPOINT and HEALTHCHECK.
// Slow (npm ci, build, prune): only with NEWSMUX_CONTAINER_TEST=1, as CI sets it, and on the image's Node (24; CI runs
// the suite on it too), whose better-sqlite3 is the one the image ships prebuilt.
// ---------------------------------------------------------------------------------------------------------------
const onImageNode = Number(process.versions.node.split('.')[0]) >= 22;
const enabled = process.env.NEWSMUX_CONTAINER_TEST === '1' && onImageNode;
if (!enabled) {
  console.warn(
    `\n*** SKIPPED: the container build steps (tests/container/dockerfile.test.ts) run only with NEWSMUX_CONTAINER_TEST=1 on` +
      ` Node 24, the image's (this is ${process.version}; .ci/run does both)\n`,
  );
}

const run = promisify(execFile);

describe.skipIf(!enabled)('the image build and start steps, outside Docker', () => {
  let scratch: string;
  const dirs = { build: '', runtime: '', data: '', public: '', bin: '' };
  let runtimeEnv: NodeJS.ProcessEnv;

  // Image paths → scratch paths.
  const mapPath = (p: string): string => {
    const prefixes: [string, string][] = [['/app', dirs.runtime], ['/data', dirs.data], ['/public', dirs.public], ['/usr/local/bin', dirs.bin]];
    for (const [from, to] of prefixes) if (p === from || p.startsWith(`${from}/`)) return to + p.slice(from.length);
    return p;
  };

  /** The environment minus what an enclosing `npm test` adds, so nested npm commands behave as in `docker build`. */
  const cleanEnv = (): NodeJS.ProcessEnv =>
    Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^npm_/i.test(k) && k !== 'INIT_CWD' && k !== 'NODE_ENV'));

  beforeAll(async () => {
    scratch = mkdtempSync(join(tmpdir(), 'newsmux-image-'));
    for (const key of Object.keys(dirs) as (keyof typeof dirs)[]) mkdirSync((dirs[key] = join(scratch, key)));

    // The build context: the repository as .dockerignore lets Docker see it.
    const copyContext = (rel: string): void => {
      for (const entry of readdirSync(join(repo, rel), { withFileTypes: true })) {
        const path = rel ? `${rel}/${entry.name}` : entry.name;
        if (isDockerIgnored(ignorePatterns, path)) continue;
        if (entry.isDirectory()) copyContext(path);
        else cpSync(join(repo, path), join(dirs.build, path), { verbatimSymlinks: true });
      }
    };
    copyContext('');

    // Build stage: every RUN, with its ENV.
    const buildEnv = { ...cleanEnv(), ...readEnv(buildStage) };
    for (const command of all(buildStage, 'RUN')) {
      try {
        await run('sh', ['-c', command], { cwd: dirs.build, env: buildEnv, maxBuffer: 64 << 20, timeout: 480_000 });
      } catch (err) {
        const e = err as { stdout?: string; stderr?: string };
        throw new Error(`image build step failed: RUN ${command}\n${e.stdout ?? ''}\n${e.stderr ?? ''}`, { cause: err });
      }
    }

    // Runtime stage: its COPY --from=build lines, its bin symlink, its ENV with image paths mapped to scratch ones.
    for (const copy of all(runtimeStage, 'COPY')) {
      const parts = copy.split(/\s+/).filter((p) => !p.startsWith('--'));
      const dest = parts.pop()!;
      for (const src of parts) {
        const from = join(dirs.build, posix.relative('/app', src));
        const to = dest.endsWith('/') || parts.length > 1 ? join(dirs.runtime, dest, basename(src)) : join(dirs.runtime, dest);
        cpSync(from, to, { recursive: true, verbatimSymlinks: true });
      }
    }
    const link = /ln -s (\S+) (\S+)/.exec(all(runtimeStage, 'RUN').join(' '));
    expect(link, 'the runtime stage links the newsmux bin').not.toBeNull();
    symlinkSync(mapPath(link![1]!), mapPath(link![2]!));
    runtimeEnv = { ...cleanEnv(), PATH: `${dirs.bin}${delimiter}${process.env.PATH ?? ''}` };
    for (const [key, value] of Object.entries(readEnv(runtimeStage))) runtimeEnv[key] = mapPath(value);
  }, 600_000);

  afterAll(() => {
    if (scratch) rmSync(scratch, { recursive: true, force: true });
  });

  it('keeps only production dependencies, and the native addon loads', async () => {
    expect(existsSync(join(dirs.runtime, 'node_modules', 'vitest'))).toBe(false);
    expect(existsSync(join(dirs.runtime, 'node_modules', 'typescript'))).toBe(false);
    expect(existsSync(join(dirs.runtime, 'dist', 'cli', 'main.js'))).toBe(true);
    const driver = "import('./dist/store/sqlite/driver.js').then(({ Database: D }) => console.log(new D(':memory:').prepare('select 41+1 as n').get().n))";
    const { stdout } = await run(process.execPath, ['-e', driver], {
      cwd: dirs.runtime,
      env: runtimeEnv,
    });
    expect(stdout.trim()).toBe('42');
  });

  // Needs the CLI (src/cli/main.ts, `check`).
  it('`newsmux check` accepts the bundled config through the entrypoint', async () => {
    const result = await run('newsmux', ['check'], { cwd: dirs.runtime, env: runtimeEnv }).catch((err: { code?: number; stdout?: string; stderr?: string }) => err);
    expect(result, `${'stderr' in result ? result.stderr : ''}`).not.toHaveProperty('code');
    const direct = await run(process.execPath, ['dist/cli/main.js', 'check', '-c', 'config/default.yaml'], { cwd: dirs.runtime, env: runtimeEnv });
    expect(direct.stderr).not.toMatch(/error/i);
  });

  // Needs the CLI's `start` (scheduler, server, graceful stop). No network: the sources are the bundled sample feeds.
  it('`newsmux start` publishes, passes the HEALTHCHECK, serves feeds and stops on SIGTERM', async () => {
    const samples = await startSampleFeedServer();
    const port = await freePort();
    const configFile = join(scratch, 'newsmux.yaml');
    writeFileSync(
      configFile,
      stringify({
        output: { dir: '/ignored/overridden-by-env', baseUrl: `http://127.0.0.1:${port}/` },
        fetch: { allowPrivateAddresses: true },
        server: { port, host: '127.0.0.1' },
        sources: samples.feeds.map((f) => ({ id: f.id, name: f.name, url: f.url, ...(f.country ? { country: f.country } : {}) })),
      }),
    );
    const env = { ...runtimeEnv, NEWSMUX_CONFIG: configFile, NEWSMUX_HEALTH_URL: `http://127.0.0.1:${port}/healthz`, LOG_LEVEL: 'warn' };
    const child = spawn('newsmux', ['start'], { cwd: dirs.runtime, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (c: Buffer) => (output += c.toString()));
    child.stderr.on('data', (c: Buffer) => (output += c.toString()));
    try {
      const healthcheck = JSON.parse(one(runtimeStage, 'HEALTHCHECK').replace(/^.*?\bCMD\s+/, '')) as string[];
      const deadline = Date.now() + 90_000;
      let healthy = false;
      while (!healthy && Date.now() < deadline && child.exitCode === null) {
        healthy = await run(healthcheck[0]!, healthcheck.slice(1), { env }).then(() => true, () => false);
        if (!healthy) await new Promise((r) => setTimeout(r, 1_000));
      }
      expect(healthy, `HEALTHCHECK never passed; worker output:\n${output}`).toBe(true);
      // A worker is healthy from start-up (its first pass may still be running): wait for that pass to publish.
      let feed = await fetch(`http://127.0.0.1:${port}/all/feed.xml`);
      while (feed.status === 404 && Date.now() < deadline && child.exitCode === null) {
        await new Promise((r) => setTimeout(r, 1_000));
        feed = await fetch(`http://127.0.0.1:${port}/all/feed.xml`);
      }
      expect(feed.status, `worker output:\n${output}`).toBe(200);
      expect(feed.headers.get('content-type')).toBe('application/rss+xml; charset=utf-8');
      expect(existsSync(join(dirs.public, 'all', 'feed.xml'))).toBe(true);
      expect(existsSync(join(dirs.data, 'newsmux.db'))).toBe(true);
      child.kill('SIGTERM');
      expect(await exitOf(child, 40_000), `worker output:\n${output}`).toBe(0);
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
      await samples.close();
    }
  }, 180_000);
});

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

function exitOf(child: ChildProcess, timeoutMs: number): Promise<number | string> {
  if (child.exitCode !== null) return Promise.resolve(child.exitCode);
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(`still running after ${timeoutMs} ms`), timeoutMs);
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      resolve(code ?? `killed by ${signal}`);
    });
  });
}
