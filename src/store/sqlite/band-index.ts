/**
 * The SQLite store's near-duplicate band index, kept in memory. A B-tree keyed by random band hashes makes every
 * per-source commit rewrite about one page per band row (32 per item), which on SQLite's WAL costs gigabytes of writes
 * for a cold pass; the persistent truth is `item_sketch.band_keys`, and this index is rebuilt from it when needed.
 *
 * Layout: an open-addressing multimap from a 52-bit hash of each band key to a sketch slot (typed arrays, about 24
 * bytes per band), and per slot the item's identity and its band hashes (to remove it and to confirm a hit).
 */

export interface SketchEntry {
  readonly itemId: string;
  readonly clusterId: string;
  readonly sourceId: string;
  readonly publishedAt: number;
  readonly signature: string;
}

interface Slot extends SketchEntry {
  readonly hashes: Float64Array;
}

const EMPTY = -1;
const TOMBSTONE = -2;

/** cyrb53: a fast 53-bit string hash; band keys are short ASCII. */
export function bandHash(key: string): number {
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  for (let i = 0; i < key.length; i++) {
    const c = key.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 2654435761);
    h2 = Math.imul(h2 ^ c, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return 4294967296 * (2097151 & h2) + (h1 >>> 0);
}

export class BandIndex {
  private keys: Float64Array;
  private vals: Int32Array;
  /** Occupied table cells, tombstones included. */
  private used = 0;
  private readonly slots: (Slot | undefined)[] = [];
  private readonly freeSlots: number[] = [];
  private readonly byItem = new Map<string, number>();

  /**
   * @param loadedFrom Sketches published before this time were not loaded; before a lookup reaches further back, the
   *   store loads that part of the table (`item_sketch`) and moves this mark back (`loadedFrom` only ever decreases).
   */
  constructor(public loadedFrom: number, capacity = 1 << 16) {
    this.keys = new Float64Array(capacity);
    this.vals = new Int32Array(capacity).fill(EMPTY);
  }

  /** Number of items indexed. */
  get size(): number {
    return this.byItem.size;
  }

  /** Whether the item is indexed. */
  has(itemId: string): boolean {
    return this.byItem.has(itemId);
  }

  /** Indexes an item's bands, replacing what it had. */
  add(entry: SketchEntry, bandKeys: readonly string[]): void {
    this.remove(entry.itemId);
    const hashes = Float64Array.from(new Set(bandKeys), bandHash);
    this.reserve(hashes.length);
    const slot = this.freeSlots.pop() ?? this.slots.length;
    this.slots[slot] = { ...entry, hashes };
    this.byItem.set(entry.itemId, slot);
    for (const h of hashes) this.insert(h, slot);
  }

  remove(itemId: string): void {
    const slot = this.byItem.get(itemId);
    if (slot === undefined) return;
    const entry = this.slots[slot] as Slot;
    const mask = this.keys.length - 1;
    for (const h of entry.hashes) {
      for (let i = h % this.keys.length; ; i = (i + 1) & mask) {
        const v = this.vals[i] as number;
        if (v === EMPTY) break;
        if (v === slot && this.keys[i] === h) {
          this.vals[i] = TOMBSTONE;
          break;
        }
      }
    }
    this.slots[slot] = undefined;
    this.freeSlots.push(slot);
    this.byItem.delete(itemId);
  }

  /** Items sharing a band key with `bandKeys`, published within [from, to], with the key they share. */
  find(bandKeys: readonly string[], from: number, to: number): (SketchEntry & { bandKey: string })[] {
    const out: (SketchEntry & { bandKey: string })[] = [];
    const mask = this.keys.length - 1;
    for (const bandKey of new Set(bandKeys)) {
      const h = bandHash(bandKey);
      for (let i = h % this.keys.length; ; i = (i + 1) & mask) {
        const v = this.vals[i] as number;
        if (v === EMPTY) break;
        if (v < 0 || this.keys[i] !== h) continue;
        const entry = this.slots[v] as Slot;
        if (entry.publishedAt >= from && entry.publishedAt <= to) {
          out.push({
            itemId: entry.itemId,
            clusterId: entry.clusterId,
            sourceId: entry.sourceId,
            publishedAt: entry.publishedAt,
            signature: entry.signature,
            bandKey,
          });
        }
      }
    }
    return out;
  }

  private insert(h: number, slot: number): void {
    const mask = this.keys.length - 1;
    let i = h % this.keys.length;
    while ((this.vals[i] as number) >= 0) i = (i + 1) & mask;
    if (this.vals[i] === EMPTY) this.used++;
    this.keys[i] = h;
    this.vals[i] = slot;
  }

  /** Keeps the table at most half full (tombstones count), growing or cleaning it first. */
  private reserve(more: number): void {
    if ((this.used + more) * 2 <= this.keys.length) return;
    let live = more;
    for (const s of this.slots) live += s?.hashes.length ?? 0;
    // After a rebuild the table is at most a quarter full: room to grow before the next one.
    let capacity = this.keys.length;
    while (live * 4 > capacity) capacity *= 2;
    this.keys = new Float64Array(capacity);
    this.vals = new Int32Array(capacity).fill(EMPTY);
    this.used = 0;
    this.slots.forEach((s, slot) => {
      if (s) for (const h of s.hashes) this.insert(h, slot);
    });
  }
}
