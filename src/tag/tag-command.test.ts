import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import type { Logger } from '../core/index.js';
import { runTagCommand } from '../cli/tag.js';
import { createTagger } from './index.js';

const silent: Logger = { trace() {}, debug() {}, info() {}, warn() {}, error() {}, fatal() {}, child: () => silent };

async function run(lines: string[], explain = false): Promise<{ out: Record<string, unknown>[]; result: { lines: number; errors: number } }> {
  const input = new PassThrough();
  const output = new PassThrough();
  const chunks: string[] = [];
  output.on('data', (c: Buffer) => chunks.push(c.toString('utf8')));
  const done = runTagCommand({ input, output, tagger: createTagger(), explain, log: silent });
  input.end(lines.join('\n'));
  const result = await done;
  const out = chunks
    .join('')
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => JSON.parse(l) as Record<string, unknown>);
  return { out, result };
}

describe('newsmux tag', () => {
  it('tags JSON lines in order and reports a bad line without stopping', async () => {
    const { out, result } = await run([
      JSON.stringify({ title: 'Taliban close girls schools in Kabul' }),
      '{not json',
      JSON.stringify({ summary: 'no title' }),
      JSON.stringify({ title: 'Earthquake hits Nepal', categories: ['News'], sourceCountry: 'np' }),
    ]);
    expect(result).toEqual({ lines: 4, errors: 2 });
    expect(out[0]).toEqual({ countries: ['AF'], topics: expect.arrayContaining(['education']) });
    expect(out[1]).toMatchObject({ line: 2, error: expect.stringMatching(/^line 2: not JSON/) });
    expect(out[2]).toMatchObject({ line: 3, error: 'line 3: "title" must be a string' });
    expect(out[3]).toEqual({ countries: ['NP'], topics: ['disaster'] });
  });

  it('adds the evidence with --explain', async () => {
    const { out } = await run([JSON.stringify({ title: 'Kremlin rejects peace plan' })], true);
    const explain = out[0]!.explain as { countries: { id: string; evidence: { text: string }[] }[] };
    expect(out[0]!.countries).toEqual(['RU']);
    expect(explain.countries[0]!.evidence[0]!.text).toBe('Kremlin');
  });
});
