import { afterEach, describe, expect, it } from 'vitest';
import { ParseError, StageError } from '../core/index.js';
import { FeedWorkerPool } from './feed-worker-pool.js';
import type { FeedBody } from './process-feed.js';

// The compiled thread script (`npm test` builds first), and one that misbehaves on cue.
const FEED_WORKER = new URL('../../dist/cli/feed-worker.js', import.meta.url);
const MISBEHAVING = new URL('../../tests/fixtures/workers/misbehaving-feed-worker.mjs', import.meta.url);

const HEAD = '<?xml version="1.0"?><rss version="2.0"><channel><title>Desk</title><link>https://desk.example/</link>';

function rss(items: string): Uint8Array {
  return new TextEncoder().encode(`${HEAD}${items}</channel></rss>`);
}

function body(sourceId: string, bytes: Uint8Array = rss('')): FeedBody {
  return { sourceId, feedUrl: `https://desk.example/${sourceId}.xml`, body: bytes, now: Date.UTC(2026, 11, 1), nearDuplicates: true, maxItems: 1000 };
}

const story = rss(
  '<item><title>Floods cut the Karakoram Highway</title><link>https://desk.example/floods</link><guid>f1</guid>' +
    '<description>Landslides in Gilgit-Baltistan, Pakistan, closed the road on Monday, officials said.</description></item>',
);

let pool: FeedWorkerPool | undefined;
afterEach(async () => {
  await pool?.close();
  pool = undefined;
});

describe('FeedWorkerPool with the real feed thread', () => {
  it('parses, normalizes and tags a feed in a thread', async () => {
    pool = new FeedWorkerPool(1, {}, { script: FEED_WORKER });
    const out = await pool.process(body('desk', story));
    expect(out.items.map((i) => [i.title, i.tags.countries])).toEqual([['Floods cut the Karakoram Highway', ['PK']]]);
    expect(out.items[0]?.sketch?.bandKeys.length).toBeGreaterThan(0);
  });

  it('gives back a body that is not a feed as a ParseError naming the source', async () => {
    pool = new FeedWorkerPool(1, {}, { script: FEED_WORKER });
    const err = await pool.process(body('landing-page', new TextEncoder().encode('<html><body>Hello</body></html>'))).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ParseError);
    expect((err as ParseError).message).toMatch(/^parse: landing-page \(https:\/\/desk\.example\/landing-page\.xml\) is not a feed/);
  });

  it('fails only the feed that outgrows the heap cap; the next feed gets a new thread', async () => {
    pool = new FeedWorkerPool(1, {}, { script: FEED_WORKER, maxHeapMb: 64 });
    // 10 MB of tiny items: far more objects than 64 MB of heap holds while parsing.
    const item = '<item><title>t</title><link>https://desk.example/1</link></item>';
    const huge = rss(item.repeat(Math.floor(10_000_000 / item.length)));
    const results = await Promise.allSettled([pool.process(body('huge', huge)), pool.process(body('after', story))]);
    expect(results[0]).toMatchObject({ status: 'rejected', reason: { message: expect.stringMatching(/^parse: huge .* was given up: its thread crashed \(.*memory limit/) } });
    expect(results[1]).toMatchObject({ status: 'fulfilled', value: { items: [{ title: 'Floods cut the Karakoram Highway' }] } });
  });
});

describe('FeedWorkerPool when a thread misbehaves', () => {
  const settle = (p: FeedWorkerPool, ids: string[]) => Promise.allSettled(ids.map((id) => p.process(body(id))));
  const outcome = (r: PromiseSettledResult<{ warnings: string[] }>) => (r.status === 'fulfilled' ? r.value.warnings[0] : (r.reason as Error).message);

  it('gives up a feed that overruns the deadline, and the feeds the thread held go to a new one', async () => {
    pool = new FeedWorkerPool(1, {}, { script: MISBEHAVING, deadlineMs: 1_500 });
    // The one thread holds "spins" and the next few in reserve; the rest wait in the pool's queue. The deadline leaves
    // a replacement thread room to start on a loaded machine (its first feed's clock includes the start).
    const others = ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'];
    const results = await settle(pool, ['spins', ...others]);
    expect(results.map(outcome)).toEqual([
      'parse: spins (https://desk.example/spins.xml) was given up: processing took longer than 1.5 s; its thread was stopped',
      ...others.map((id) => `read ${id}`),
    ]);
    expect((results[0] as PromiseRejectedResult).reason).toBeInstanceOf(StageError);
  });

  it('fails the feed a thread crashed or exited on, and only that one', async () => {
    pool = new FeedWorkerPool(2, {}, { script: MISBEHAVING, maxHeapMb: 32 });
    const results = await settle(pool, ['a', 'throws', 'b', 'exits', 'c', 'hoards', 'd']);
    expect(results.map(outcome)).toEqual([
      'read a',
      'parse: throws (https://desk.example/throws.xml) was given up: its thread crashed (boom)',
      'read b',
      'parse: exits (https://desk.example/exits.xml) was given up: its thread exited with code 7',
      'read c',
      expect.stringMatching(/^parse: hoards .* was given up: its thread crashed \(.*memory limit/),
      'read d',
    ]);
  });

  it('keeps the reply a thread posted just before it crashed on its next feed (the crash can overtake the reply)', async () => {
    pool = new FeedWorkerPool(1, {}, { script: MISBEHAVING });
    for (let round = 0; round < 30; round++) {
      const results = await settle(pool, ['a', 'throws', 'b']);
      expect(results.map(outcome)).toEqual(['read a', 'parse: throws (https://desk.example/throws.xml) was given up: its thread crashed (boom)', 'read b']);
    }
  });

  it('rejects what it still holds when closed, and takes no more', async () => {
    const closing = new FeedWorkerPool(1, {}, { script: MISBEHAVING });
    const held = settle(closing, ['spins', 'queued', 'waiting']);
    await new Promise((resolve) => setTimeout(resolve, 100));
    await closing.close();
    expect((await held).map(outcome)).toEqual(['feed worker pool is closed', 'feed worker pool is closed', 'feed worker pool is closed']);
    await expect(closing.process(body('late'))).rejects.toThrow('feed worker pool is closed');
  });
});
