import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { promisify } from 'node:util';
import { fileURLToPath } from 'node:url';
import type { TagInput } from '../core/index.js';
import { createTagger, loadTaggerData } from '../tag/index.js';

interface BenchRow {
  metric: string;
  value: number;
  unit: string;
  target?: string;
}

const gc = (): void => (globalThis as { gc?: () => void }).gc?.();

// Ordinary reporting prose (no place or topic is named): the bulk of a real article's body.
const PROSE = [
  'Officials said the decision followed weeks of consultation and that further details would be published after the next meeting.',
  'Residents interviewed on Tuesday said they had not been told when the work would begin or how long it would take.',
  'The statement did not say how many people were affected, and a spokesperson declined to comment further when contacted.',
  'Analysts cautioned that much would depend on how the plan is carried out over the coming months, and on funding.',
  'Several people who spoke on condition of anonymity said the situation had changed little since the announcement was made.',
];

/**
 * Synthetic items built from the labeled set: a labeled headline and its summary, plus ~2 KB of content — either other
 * labeled headlines and summaries (dense with names and topic words) or, with `article`, the item's own summary
 * followed by ordinary reporting prose, as in a real article body.
 */
function buildItems(count: number, article: boolean): TagInput[] {
  const file = fileURLToPath(new URL('../../tests/fixtures/tag/labeled.jsonl', import.meta.url));
  const labeled = readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => (JSON.parse(l) as { input: TagInput }).input);
  const sentences = labeled.flatMap((i) => [i.title, i.summary ?? '']).filter((s) => s.length > 20);
  const items: TagInput[] = [];
  for (let k = 0; k < count; k++) {
    const base = labeled[k % labeled.length]!;
    let content = article ? `${base.summary ?? base.title} ` : '';
    for (let j = 1; content.length < 2048; j++) content += `${article ? PROSE[(k + j) % PROSE.length]! : sentences[(k * 7 + j * 13) % sentences.length]!} `;
    items.push({ title: base.title, summary: base.summary ?? '', content: content.slice(0, 2100), categories: ['News'] });
  }
  return items;
}

/**
 * RSS added by loading the tagger data, in a process of its own: in this one, what earlier benchmarks left behind
 * (and the collector returning it) made the figure swing by ±80 MB.
 */
async function rssGrowthInFreshProcess(): Promise<number> {
  const script = `const { loadTaggerData } = await import(${JSON.stringify(new URL('../tag/index.js', import.meta.url).href)});
    const before2 = process.memoryUsage().rss; globalThis.data = loadTaggerData(); globalThis.gc?.();
    console.log((process.memoryUsage().rss - before2) / 1048576);`;
  const { stdout } = await promisify(execFile)(process.execPath, ['--expose-gc', '--input-type=module', '-e', script]);
  return Number(stdout.trim());
}

/**
 * Tagging throughput on one core (title + summary + ~2 KB content per item; target ≥ 20,000 items/s), the cost of
 * compiling the gazetteer and topic lexicon at start-up, and the heap and RSS that the compiled data holds
 * (target ≤ 100 MB). Run with `node --expose-gc` for exact memory figures.
 */
export async function benchTagging(): Promise<{ name: string; rows: BenchRow[] }> {
  gc();
  const heap0 = process.memoryUsage().heapUsed;
  const t0 = performance.now();
  const data = loadTaggerData();
  const loadMs = performance.now() - t0;
  gc();
  const heapMb = (process.memoryUsage().heapUsed - heap0) / 1048576;
  const rssMb = await rssGrowthInFreshProcess();

  const tagger = createTagger({}, data);
  const dense = buildItems(500, false);
  const article = buildItems(500, true);
  const bytes = dense.reduce((n, i) => n + i.title.length + (i.summary?.length ?? 0) + (i.content?.length ?? 0), 0) / dense.length;
  // CPU time, not wall time: the figure is per core even when other processes share the machine.
  const rate = (items: TagInput[]): number => {
    for (const item of items) tagger.tag(item); // warm-up
    let done = 0;
    const wall = performance.now();
    const cpu0 = process.cpuUsage();
    while (performance.now() - wall < 3000) {
      for (const item of items) tagger.tag(item);
      done += items.length;
    }
    const cpu = process.cpuUsage(cpu0);
    return done / ((cpu.user + cpu.system) / 1e6);
  };
  const itemsPerSecond = rate(dense);
  const articlePerSecond = rate(article);

  return {
    name: 'tagging',
    rows: [
      { metric: 'items/s on one core (content: labeled headlines and summaries, ~2 KB)', value: Math.round(itemsPerSecond), unit: 'items/s', target: '≥ 20000' },
      { metric: 'items/s on one core (content: labeled summary + ~2 KB of article prose)', value: Math.round(articlePerSecond), unit: 'items/s', target: '≥ 20000' },
      { metric: 'item size (title + summary + content)', value: Math.round(bytes), unit: 'chars' },
      { metric: 'gazetteer + lexicon load time', value: Math.round(loadMs), unit: 'ms' },
      { metric: 'gazetteer + lexicon heap', value: Math.round(heapMb * 10) / 10, unit: 'MB', target: '≤ 100' },
      { metric: 'RSS growth while loading (fresh process)', value: Math.round(rssMb * 10) / 10, unit: 'MB' },
      { metric: 'place names', value: data.size.places, unit: 'names' },
      { metric: 'topic words and phrases', value: data.size.topicWords, unit: 'entries' },
    ],
  };
}
