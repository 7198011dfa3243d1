import { readFileSync } from 'node:fs';
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

/** Synthetic items shaped like real ones: a labeled headline, its summary, and ~2 KB of content from other items. */
function buildItems(count: number): TagInput[] {
  const file = fileURLToPath(new URL('../../tests/fixtures/tag/labeled.jsonl', import.meta.url));
  const labeled = readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => (JSON.parse(l) as { input: TagInput }).input);
  const sentences = labeled.flatMap((i) => [i.title, i.summary ?? '']).filter((s) => s.length > 20);
  const items: TagInput[] = [];
  for (let k = 0; k < count; k++) {
    const base = labeled[k % labeled.length]!;
    let content = '';
    for (let j = 1; content.length < 2048; j++) content += `${sentences[(k * 7 + j * 13) % sentences.length]!} `;
    items.push({ title: base.title, summary: base.summary ?? '', content: content.slice(0, 2100), categories: ['News'] });
  }
  return items;
}

/**
 * Tagging throughput on one core (title + summary + ~2 KB content per item; target ≥ 20,000 items/s), the cost of
 * compiling the gazetteer and topic lexicon at start-up, and the heap and RSS that the compiled data holds
 * (target ≤ 100 MB). Run with `node --expose-gc` for exact memory figures.
 */
export async function benchTagging(): Promise<{ name: string; rows: BenchRow[] }> {
  gc();
  const heap0 = process.memoryUsage().heapUsed;
  const rss0 = process.memoryUsage().rss;
  const t0 = performance.now();
  const data = loadTaggerData();
  const loadMs = performance.now() - t0;
  gc();
  const heapMb = (process.memoryUsage().heapUsed - heap0) / 1048576;
  const rssMb = (process.memoryUsage().rss - rss0) / 1048576;

  const tagger = createTagger({}, data);
  const items = buildItems(500);
  const bytes = items.reduce((n, i) => n + i.title.length + (i.summary?.length ?? 0) + (i.content?.length ?? 0), 0) / items.length;
  for (const item of items.slice(0, 500)) tagger.tag(item); // warm-up
  // CPU time, not wall time: the figure is per core even when other processes share the machine.
  let done = 0;
  const wall = performance.now();
  const cpu0 = process.cpuUsage();
  while (performance.now() - wall < 3000) {
    for (const item of items) tagger.tag(item);
    done += items.length;
  }
  const cpu = process.cpuUsage(cpu0);
  const itemsPerSecond = done / ((cpu.user + cpu.system) / 1e6);

  return {
    name: 'tagging',
    rows: [
      { metric: 'items/s on one core', value: Math.round(itemsPerSecond), unit: 'items/s', target: '≥ 20000' },
      { metric: 'item size (title + summary + content)', value: Math.round(bytes), unit: 'chars' },
      { metric: 'gazetteer + lexicon load time', value: Math.round(loadMs), unit: 'ms' },
      { metric: 'gazetteer + lexicon heap', value: Math.round(heapMb * 10) / 10, unit: 'MB', target: '≤ 100' },
      { metric: 'RSS growth while loading', value: Math.round(rssMb * 10) / 10, unit: 'MB' },
      { metric: 'place names', value: data.size.places, unit: 'names' },
      { metric: 'topic words and phrases', value: data.size.topicWords, unit: 'entries' },
    ],
  };
}
