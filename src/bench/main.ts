import { mkdirSync, writeFileSync } from 'node:fs';
import { benchDedupe } from './dedupe.js';
import { benchPass } from './pass.js';
import { formatReport } from './report.js';
import type { BenchReport } from './report.js';
import { benchTagging } from './tagging.js';
import { benchWorkers } from './workers.js';

/**
 * `npm run bench [-- pass tagging dedupe workers]`: runs the benchmarks, prints their figures with the baseline measured in the
 * same run, and saves them to .bench/results.json.
 */
const benches: Record<string, () => Promise<BenchReport>> = {
  pass: () => benchPass(),
  tagging: () => benchTagging(),
  dedupe: () => benchDedupe(),
  workers: () => benchWorkers(),
};

const wanted = process.argv.slice(2).filter((a) => !a.startsWith('-'));
const names = wanted.length > 0 ? wanted : Object.keys(benches);
const reports: BenchReport[] = [];
process.stdout.write(`newsmux bench on node ${process.version}, ${(await import('node:os')).availableParallelism()} cores\n\n`);
for (const name of names) {
  const bench = benches[name];
  if (!bench) throw new Error(`bench: unknown benchmark "${name}"; known: ${Object.keys(benches).join(', ')}`);
  const report = await bench();
  reports.push(report);
  process.stdout.write(`${formatReport(report)}\n`);
}
mkdirSync('.bench', { recursive: true });
writeFileSync('.bench/results.json', `${JSON.stringify({ node: process.version, at: new Date().toISOString(), reports }, null, 2)}\n`);
