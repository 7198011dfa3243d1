/** Releases a slot taken from a limiter; calling it more than once is harmless. */
export type Release = () => void;

/** A counting semaphore: at most `limit` holders at once, the others wait in arrival order. */
export class Semaphore {
  private active = 0;
  private readonly waiting: Array<() => void> = [];

  constructor(readonly limit: number) {}

  get idle(): boolean {
    return this.active === 0 && this.waiting.length === 0;
  }

  acquire(): Promise<Release> {
    return new Promise((resolve) => {
      const grant = (): void => {
        this.active++;
        let released = false;
        resolve(() => {
          if (released) return;
          released = true;
          this.active--;
          this.waiting.shift()?.();
        });
      };
      if (this.active < this.limit) grant();
      else this.waiting.push(grant);
    });
  }
}

/**
 * The global limit plus one limit per host. A request takes its host slot first, then a global one, so requests
 * queued behind a busy host never hold global slots that other hosts could use.
 */
export class HostLimiter {
  private readonly global: Semaphore;
  private readonly hosts = new Map<string, Semaphore>();

  constructor(
    concurrency: number,
    private readonly perHost: number,
  ) {
    this.global = new Semaphore(concurrency);
  }

  async acquire(host: string): Promise<Release> {
    const key = host.toLowerCase();
    let hostSlots = this.hosts.get(key);
    if (!hostSlots) this.hosts.set(key, (hostSlots = new Semaphore(this.perHost)));
    const releaseHost = await hostSlots.acquire();
    const releaseGlobal = await this.global.acquire();
    const slots = hostSlots;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      releaseGlobal();
      releaseHost();
      // Forget idle hosts so a long-running process does not keep one entry per host it ever saw.
      if (slots.idle && this.hosts.get(key) === slots) this.hosts.delete(key);
    };
  }
}
