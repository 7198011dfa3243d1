import type { SourceState } from '../core/index.js';
import type { ClaimOptions, Store } from '../store/index.js';

/**
 * Hands out due sources to a pass's runners, claiming them from the store a small chunk at a time. Claiming in chunks
 * (not the whole round at once) lets workers started together share a round, and keeps the sources in flight — and
 * their bodies in memory, and their ingests waiting for a database connection — bounded by the runners.
 */
export class DueSources {
  private readonly buffer: SourceState[] = [];
  private claiming: Promise<void> | undefined;
  private exhausted = false;
  claimed = 0;

  constructor(
    private readonly store: Store,
    private readonly options: Omit<ClaimOptions, 'limit'>,
    private readonly chunk: number,
  ) {}

  /** The next source to refresh, or undefined when none is due any more. */
  async next(): Promise<SourceState | undefined> {
    while (this.buffer.length === 0 && !this.exhausted) {
      this.claiming ??= this.claimChunk().finally(() => {
        this.claiming = undefined;
      });
      await this.claiming;
    }
    return this.buffer.shift();
  }

  private async claimChunk(): Promise<void> {
    const states = await this.store.claimDueSources({ ...this.options, limit: this.chunk });
    this.claimed += states.length;
    if (states.length === 0) this.exhausted = true;
    this.buffer.push(...states);
  }
}
