import type { ItemSketch, NearDuplicateCandidate } from '../core/index.js';

/**
 * Band keys → stored sketches, in memory, with the store's lookup semantics (`store/ingest-plan.ts`): the
 * candidates of an item are the other items sharing at least one band key, published within ±windowMs, each once,
 * oldest first. Used by the evaluation, the benchmark and tests; the store keeps the same index in a table.
 */
export class MemoryBandIndex {
  private readonly bands = new Map<string, NearDuplicateCandidate[]>();
  private count = 0;

  get size(): number {
    return this.count;
  }

  add(candidate: NearDuplicateCandidate, bandKeys: readonly string[]): void {
    this.count++;
    for (const key of new Set(bandKeys)) {
      let list = this.bands.get(key);
      if (!list) this.bands.set(key, (list = []));
      list.push(candidate);
    }
  }

  candidates(itemId: string, sketch: ItemSketch, publishedAt: number, windowMs: number): NearDuplicateCandidate[] {
    const found = new Map<string, NearDuplicateCandidate>();
    for (const key of sketch.bandKeys) {
      for (const c of this.bands.get(key) ?? []) {
        if (c.itemId === itemId || found.has(c.itemId)) continue;
        if (Math.abs(c.publishedAt - publishedAt) > windowMs) continue;
        found.set(c.itemId, c);
      }
    }
    return [...found.values()].sort((a, b) => a.publishedAt - b.publishedAt || (a.itemId < b.itemId ? -1 : 1));
  }
}
