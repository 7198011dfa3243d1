import { describe, expect, it } from 'vitest';
import { HostLimiter, Semaphore } from './host-limiter.js';

const tick = () => new Promise((r) => setImmediate(r));

describe('Semaphore', () => {
  it('grants up to its limit and then queues in arrival order', async () => {
    const s = new Semaphore(2);
    const order: number[] = [];
    const r1 = await s.acquire();
    const r2 = await s.acquire();
    const waiting = [3, 4].map((n) => s.acquire().then((release) => (order.push(n), release)));
    await tick();
    expect(order).toEqual([]);
    r1();
    await tick();
    expect(order).toEqual([3]);
    r1(); // a second release of the same slot changes nothing
    await tick();
    expect(order).toEqual([3]);
    r2();
    const [r3, r4] = await Promise.all(waiting);
    expect(order).toEqual([3, 4]);
    r3!();
    r4!();
    expect(s.idle).toBe(true);
  });
});

describe('HostLimiter', () => {
  it('a busy host does not hold global slots other hosts could use', async () => {
    const limiter = new HostLimiter(2, 1);
    const busy = await limiter.acquire('slow.example');
    let queuedForBusy = false;
    void limiter.acquire('slow.example').then(() => (queuedForBusy = true));
    // The second global slot is still free for another host.
    const other = await limiter.acquire('fast.example');
    expect(queuedForBusy).toBe(false);
    other();
    busy();
    await tick();
    expect(queuedForBusy).toBe(true);
  });

  it('treats host names case-insensitively', async () => {
    const limiter = new HostLimiter(4, 1);
    const first = await limiter.acquire('Example.COM');
    let second = false;
    void limiter.acquire('example.com').then(() => (second = true));
    await tick();
    expect(second).toBe(false);
    first();
    await tick();
    expect(second).toBe(true);
  });
});
