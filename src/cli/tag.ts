import { createInterface } from 'node:readline';
import { isCountryCode } from '../core/index.js';
import type { Logger, TagInput } from '../core/index.js';
import type { createTagger } from '../tag/index.js';

export interface TagCommandOptions {
  readonly input: NodeJS.ReadableStream;
  readonly output: NodeJS.WritableStream;
  readonly tagger: ReturnType<typeof createTagger>;
  readonly explain: boolean;
  readonly log: Logger;
}

/** Reads one JSON object per line and checks it is a tag input; throws a message naming what is wrong. */
function parseInputLine(line: string): TagInput {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch (err) {
    throw new Error(`not JSON (${err instanceof Error ? err.message : String(err)})`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new Error('expected a JSON object');
  const obj = value as Record<string, unknown>;
  if (typeof obj.title !== 'string') throw new Error('"title" must be a string');
  for (const key of ['summary', 'content', 'link', 'language'] as const) {
    if (obj[key] !== undefined && obj[key] !== null && typeof obj[key] !== 'string') throw new Error(`"${key}" must be a string`);
  }
  let categories: string[] | undefined;
  if (obj.categories !== undefined && obj.categories !== null) {
    if (!Array.isArray(obj.categories) || !obj.categories.every((c) => typeof c === 'string')) {
      throw new Error('"categories" must be an array of strings');
    }
    categories = obj.categories as string[];
  }
  let sourceCountry: string | undefined;
  if (obj.sourceCountry !== undefined && obj.sourceCountry !== null) {
    const code = typeof obj.sourceCountry === 'string' ? obj.sourceCountry.toUpperCase() : '';
    if (!isCountryCode(code)) throw new Error('"sourceCountry" must be an ISO 3166-1 alpha-2 code');
    sourceCountry = code;
  }
  const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
  return {
    title: obj.title,
    summary: str(obj.summary),
    content: str(obj.content),
    link: str(obj.link),
    categories,
    sourceCountry,
    language: str(obj.language),
  };
}

function write(output: NodeJS.WritableStream, text: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const ok = output.write(text, (err) => (err ? reject(err) : undefined));
    if (ok) resolve();
    else output.once('drain', resolve);
  });
}

/**
 * `newsmux tag`: JSON lines in, one JSON line out per input line in the same order. A line that cannot be read gets
 * `{"error":"line N: …","line":N}` and the rest are still tagged. Blank lines are skipped (no output line).
 */
export async function runTagCommand(opts: TagCommandOptions): Promise<{ lines: number; errors: number }> {
  const { input, output, tagger, explain, log } = opts;
  const reader = createInterface({ input, crlfDelay: Infinity });
  let lineNo = 0;
  let lines = 0;
  let errors = 0;
  for await (const raw of reader) {
    lineNo++;
    const line = raw.trim();
    if (line === '') continue;
    lines++;
    let out: string;
    try {
      const item = parseInputLine(line);
      if (explain) {
        const { tags, ...explanation } = tagger.explain(item);
        out = JSON.stringify({ countries: tags.countries, topics: tags.topics, explain: explanation });
      } else {
        const tags = tagger.tag(item);
        out = JSON.stringify({ countries: tags.countries, topics: tags.topics });
      }
    } catch (err) {
      errors++;
      const message = err instanceof Error ? err.message : String(err);
      log.warn({ line: lineNo, err }, 'tag: bad input line');
      out = JSON.stringify({ error: `line ${lineNo}: ${message}`, line: lineNo });
    }
    await write(output, `${out}\n`);
  }
  log.info({ lines, errors }, 'tag: done');
  return { lines, errors };
}
