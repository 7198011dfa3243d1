import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { stringify } from 'yaml';
import { createLogger } from '../cli/logger.js';
import { runPass } from '../cli/pass.js';
import { openRuntime } from '../cli/runtime.js';
import { startSampleFeedServer } from './sample-feed-server.js';

/**
 * `npm run demo`: serves the bundled sample feeds on loopback, runs one real pass over them (same worker, same
 * config schema, SQLite) into ./demo-public, and says where to look. Needs no internet.
 */
async function main(): Promise<void> {
  const log = createLogger({ destination: 'stdout' });
  const outDir = resolve('demo-public');
  rmSync(outDir, { recursive: true, force: true });
  mkdirSync(outDir, { recursive: true });
  const samples = await startSampleFeedServer();
  try {
    const configFile = join(outDir, 'demo.yaml');
    writeFileSync(
      configFile,
      `# Written by npm run demo: the bundled sample feeds, served on loopback.\n${stringify({
        store: join(outDir, '.store', 'newsmux.db'),
        output: { dir: outDir, baseUrl: 'http://localhost:8080/', title: 'newsmux demo', retentionDays: 3650 },
        fetch: { allowPrivateAddresses: true },
        sources: samples.feeds.map((f) => ({ id: f.id, name: f.name, url: f.url, ...(f.country ? { country: f.country } : {}), ...(f.language ? { language: f.language } : {}) })),
        sections: {
          regions: { 'south-asia': ['AF', 'BD', 'BT', 'IN', 'LK', 'MV', 'NP', 'PK'], 'central-asia': ['KZ', 'KG', 'TJ', 'TM', 'UZ'], 'middle-east': ['IL', 'IQ', 'IR', 'JO', 'LB', 'PS', 'SA', 'SY', 'TR', 'YE'] },
          custom: [{ id: 'afpak-security', title: 'Af-Pak security', countries: ['AF', 'PK'], topics: ['conflict', 'crime'] }],
        },
      })}`,
    );
    const runtime = await openRuntime(configFile, log);
    try {
      const summary = await runPass(runtime.passDeps);
      process.stdout.write(
        [
          '',
          `Demo pass done: ${summary.sourcesOk} feeds read, ${summary.itemsNew} stories, ${summary.itemsMerged + summary.itemsDuplicate} copies folded in, ${summary.sectionsWritten} sections published.`,
          `Look at: ${join(outDir, 'index.html')}  (feeds under ${outDir}/all, /country, /topic, /region, /section)`,
          `Serve it: node dist/cli/main.js serve -c ${configFile}   then open http://localhost:8080/`,
          '',
        ].join('\n'),
      );
    } finally {
      await runtime.close();
    }
  } finally {
    await samples.close();
  }
}

await main();
