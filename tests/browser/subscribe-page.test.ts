import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import type { Browser } from 'playwright-core';
import { pino } from 'pino';
import Parser from 'rss-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { healthCheck } from '../../src/cli/health.js';
import { runPass } from '../../src/cli/pass.js';
import { openRuntime } from '../../src/cli/runtime.js';
import type { Runtime } from '../../src/cli/runtime.js';
import { startSampleFeedServer } from '../../src/demo/sample-feed-server.js';
import { startServer } from '../../src/serve/index.js';
import { repoRoot, writeSampleConfig } from '../e2e/helpers.js';

// Debian's chromium, never a downloaded browser (no internet here). CI installs it; elsewhere the test says it skipped.
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const haveChromium = existsSync(CHROMIUM);
if (!haveChromium) {
  const message = `\n!!! SKIPPED: subscribe page browser test — no Chromium at ${CHROMIUM} (apt-get install -y chromium) !!!\n`;
  if (process.env.CI) throw new Error(message);
  console.warn(message);
}

describe.skipIf(!haveChromium)('the subscribe page in headless Chromium', () => {
  let dir: string;
  let samples: Awaited<ReturnType<typeof startSampleFeedServer>>;
  let runtime: Runtime;
  let server: Awaited<ReturnType<typeof startServer>>;
  let browser: Browser;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'newsmux-browser-'));
    samples = await startSampleFeedServer();
    const configFile = writeSampleConfig(dir, samples.feeds, { baseUrl: 'http://127.0.0.1:1/' });
    runtime = await openRuntime(configFile, pino({ level: 'silent' }));
    await runPass(runtime.passDeps);
    server = await startServer({
      root: runtime.config.output.dir,
      host: '127.0.0.1',
      port: 0,
      maxAgeSeconds: 60,
      health: healthCheck(runtime.config, runtime.store),
      log: pino({ level: 'silent' }),
    });
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await runtime?.close();
    await samples?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('groups sections, links feeds that parse, works on a phone and saves a screenshot', async () => {
    const page = await browser.newPage({ javaScriptEnabled: false, viewport: { width: 390, height: 844 } });
    const response = await page.goto(server.url);
    expect(response?.status()).toBe(200);
    const text = await page.locator('body').innerText();
    for (const group of ['Regions', 'Countries', 'Topics']) expect(text).toContain(group);
    expect(text).toContain('Afghanistan');

    const alternates = await page.locator('link[rel="alternate"]').evaluateAll((links) => links.map((l) => l.getAttribute('type')));
    expect(alternates).toEqual(expect.arrayContaining(['application/rss+xml', 'application/atom+xml', 'application/feed+json']));

    // Nothing wider than the phone's screen: readable without sideways scrolling.
    const overflow = await page.evaluate('document.documentElement.scrollWidth - document.documentElement.clientWidth');
    expect(overflow).toBeLessThanOrEqual(0);

    const hrefs = await page.locator('a[href$="feed.xml"], a[href$="atom.xml"], a[href$="feed.json"]').evaluateAll((as) => as.map((a) => (a as unknown as { href: string }).href));
    expect(hrefs.length).toBeGreaterThan(6);
    const parser = new Parser();
    for (const href of hrefs) {
      // Links are relative to the page so they work behind any host; resolve them against the served page.
      const url = new URL(new URL(href).pathname, server.url);
      const res = await fetch(url);
      expect(res.status, url.href).toBe(200);
      const body = await res.text();
      if (url.pathname.endsWith('.json')) expect(JSON.parse(body).version).toBe('https://jsonfeed.org/version/1.1');
      else expect((await parser.parseString(body)).items.length, url.href).toBeGreaterThan(0);
    }

    const artifacts = join(repoRoot, 'test-artifacts');
    mkdirSync(artifacts, { recursive: true });
    await page.screenshot({ path: join(artifacts, 'subscribe-page-phone.png'), fullPage: true });
    const desktop = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await desktop.goto(server.url);
    await desktop.screenshot({ path: join(artifacts, 'subscribe-page-desktop.png'), fullPage: true });
  });
});
