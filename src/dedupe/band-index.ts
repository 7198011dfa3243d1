import type { NearDuplicateCandidate, NearDuplicateIndex } from '../core/index.js';

/**
 * A band with more items than this in an item's window is crowded: in a large window, the MinHash minima of common
 * words put many unrelated stories in one band, so sharing only that band says little. On 20,000 synthetic items whose
 * unrelated pairs share many words (mean Jaccard 0.056), offering every band-sharer made 250 candidates per item; this
 * rule made 47, and every exact copy was still offered.
 */
export const CROWDED_BAND = 32;

/**
 * Of a band, only its newest this many items are walked (a band's list runs newest first), and a band that has more is
 * crowded. The crowded bands of a large window are the MinHash minima of words found in hundreds of stories: walking
 * them whole was three quarters of the index's work in a cold pass over 1,000 feeds (50,000 items; the largest band
 * held 2,414), for weak candidates only. Copies of one story share most of their 24 bands and arrive close together,
 * so a story copied by hundreds of outlets still meets its latest copies.
 */
export const BAND_WALK = 128;

/**
 * At most this many candidates are offered per item, those sharing the most bands first: a feed of thousands of
 * near-identical items (an archive dump, a template gone wrong) would otherwise compare every item with every other.
 * Copies of one story share most of their 24 bands, so the cut keeps them.
 */
export const MAX_CANDIDATES = 64;

const NONE = -1;
/** `cellCount` of a cell no band has used. */
const FREE_CELL = -1;
/** Most bands have one item: the table of band hashes dominates the index's memory, so it runs fairly full. */
const MAX_LOAD = 0.7;

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

/**
 * Band keys → sketched items, in memory: the SQLite store's whole band index, and the PostgreSQL store's per-batch
 * view of the `item_band` rows it read. Both then offer the matcher the same candidates (see `candidates`).
 *
 * Layout, sized for a cold pass of 50,000 items × 24 bands: an open-addressing table of distinct band hashes, each
 * heading a doubly linked list of nodes (one per item and band, in typed arrays: 20 bytes) so that adding, removing
 * and walking a band cost only its own length, however crowded the band next to it. An item's own nodes are chained
 * too (`slotFirstNode`, `nodeNextOfSlot`), so that adding one allocates nothing.
 */
export class BandIndex implements NearDuplicateIndex {
  private cellHash: Float64Array;
  private cellHead: Int32Array;
  /** Items in the band, or FREE_CELL. */
  private cellCount: Int32Array;
  /** Cells in use, including bands whose items were all removed (dropped at the next rebuild). */
  private usedCells = 0;

  private nodeSlot = new Int32Array(1024);
  private nodeCell = new Int32Array(1024);
  private nodePrev = new Int32Array(1024);
  private nodeNext = new Int32Array(1024);
  /** The next node of the same item (slot), for removing it. */
  private nodeNextOfSlot = new Int32Array(1024);
  private nodesUsed = 0;
  private freeNode = NONE;

  private readonly entries: (NearDuplicateCandidate | undefined)[] = [];
  private slotFirstNode = new Int32Array(256);
  private slotPublished = new Float64Array(256);
  private readonly freeSlots: number[] = [];
  private readonly byItem = new Map<string, number>();

  // Scratch for `candidates`: a slot is counted in this query when its mark equals the query's stamp.
  private mark = new Int32Array(256);
  private shared = new Uint8Array(256);
  private viaQuietBand = new Uint8Array(256);
  private stamp = 0;
  private readonly bucket: number[] = [];
  private readonly hashScratch: number[] = [];

  constructor(
    private readonly windowMs: number,
    /** Cells of the band table to start with: a power of two. */
    capacity = 1 << 12,
  ) {
    this.cellHash = new Float64Array(capacity);
    this.cellHead = new Int32Array(capacity);
    this.cellCount = new Int32Array(capacity).fill(FREE_CELL);
  }

  get size(): number {
    return this.byItem.size;
  }

  has(itemId: string): boolean {
    return this.byItem.has(itemId);
  }

  add(entry: NearDuplicateCandidate, bandKeys: readonly string[]): void {
    this.remove(entry.itemId);
    const hashes = this.distinctHashes(bandKeys);
    this.reserveCells(hashes.length);
    const slot = this.freeSlots.pop() ?? this.entries.length;
    this.growSlots(slot + 1);
    let first = NONE;
    for (let i = 0; i < hashes.length; i++) {
      const node = this.link(this.cellFor(hashes[i] as number, true), slot);
      this.nodeNextOfSlot[node] = first;
      first = node;
    }
    this.entries[slot] = entry;
    this.slotFirstNode[slot] = first;
    this.slotPublished[slot] = entry.publishedAt;
    this.byItem.set(entry.itemId, slot);
  }

  remove(itemId: string): void {
    const slot = this.byItem.get(itemId);
    if (slot === undefined) return;
    for (let node = this.slotFirstNode[slot] as number; node !== NONE; ) {
      const next = this.nodeNextOfSlot[node] as number;
      this.unlink(node);
      node = next;
    }
    this.entries[slot] = undefined;
    this.freeSlots.push(slot);
    this.byItem.delete(itemId);
  }

  /**
   * The items worth judging as near-duplicates of an item: published within the window of `publishedAt`, not the
   * item itself, and sharing with it either two bands or more, or one band that is not crowded (`CROWDED_BAND`), where
   * a band counts for the newest `BAND_WALK` of its items only; at
   * most `MAX_CANDIDATES` of them, those sharing the most bands. Each once, oldest first.
   */
  candidates(itemId: string, bandKeys: readonly string[], publishedAt: number): NearDuplicateCandidate[] {
    const self = this.byItem.get(itemId) ?? NONE;
    const stamp = this.nextStamp();
    const touched: number[] = [];
    const bucket = this.bucket;
    for (const h of this.distinctHashes(bandKeys)) {
      const cell = this.cellFor(h, false);
      if (cell === NONE) continue;
      bucket.length = 0;
      let walk = BAND_WALK;
      for (let node = this.cellHead[cell] as number; node !== NONE && walk-- > 0; node = this.nodeNext[node] as number) {
        const slot = this.nodeSlot[node] as number;
        if (slot !== self && Math.abs((this.slotPublished[slot] as number) - publishedAt) <= this.windowMs) bucket.push(slot);
      }
      const quiet = bucket.length <= CROWDED_BAND && (this.cellCount[cell] as number) <= BAND_WALK ? 1 : 0;
      for (const slot of bucket) {
        if (this.mark[slot] !== stamp) {
          this.mark[slot] = stamp;
          this.shared[slot] = 0;
          this.viaQuietBand[slot] = 0;
          touched.push(slot);
        }
        const shared = this.shared[slot] as number;
        if (shared < 255) this.shared[slot] = shared + 1;
        if (quiet) this.viaQuietBand[slot] = 1;
      }
    }
    let offered = touched.filter((slot) => this.viaQuietBand[slot] === 1 || (this.shared[slot] as number) >= 2);
    if (offered.length > MAX_CANDIDATES) {
      offered = offered.sort((a, b) => (this.shared[b] as number) - (this.shared[a] as number) || this.bySlotAge(a, b)).slice(0, MAX_CANDIDATES);
    }
    return offered.sort(this.bySlotAge).map((slot) => this.entries[slot] as NearDuplicateCandidate);
  }

  /** Oldest first; the id breaks ties, so that every store offers candidates in the same order. */
  private readonly bySlotAge = (a: number, b: number): number =>
    (this.slotPublished[a] as number) - (this.slotPublished[b] as number) ||
    ((this.entries[a] as NearDuplicateCandidate).itemId < (this.entries[b] as NearDuplicateCandidate).itemId ? -1 : 1);

  private nextStamp(): number {
    if (this.stamp >= 0x7ffffffe) {
      this.mark.fill(0);
      this.stamp = 0;
    }
    return ++this.stamp;
  }

  /** The distinct hashes of band keys, in a scratch array valid until the next call. */
  private distinctHashes(bandKeys: readonly string[]): number[] {
    const out = this.hashScratch;
    out.length = 0;
    for (const key of bandKeys) {
      const h = bandHash(key);
      if (!out.includes(h)) out.push(h);
    }
    return out;
  }

  /** The cell of a band hash; with `create`, a new empty one when missing, else NONE. */
  private cellFor(h: number, create: boolean): number {
    const mask = this.cellHash.length - 1;
    // The table's size is a power of two: the hash's low bits pick the first cell (`>>> 0` keeps the low 32).
    for (let i = (h >>> 0) & mask; ; i = (i + 1) & mask) {
      if (this.cellCount[i] === FREE_CELL) {
        if (!create) return NONE;
        this.cellHash[i] = h;
        this.cellHead[i] = NONE;
        this.cellCount[i] = 0;
        this.usedCells++;
        return i;
      }
      if (this.cellHash[i] === h) return i;
    }
  }

  private link(cell: number, slot: number): number {
    let node = this.freeNode;
    if (node !== NONE) this.freeNode = this.nodeNext[node] as number;
    else {
      node = this.nodesUsed++;
      if (node >= this.nodeSlot.length) this.growNodes();
    }
    const head = this.cellHead[cell] as number;
    this.nodeSlot[node] = slot;
    this.nodeCell[node] = cell;
    this.nodePrev[node] = NONE;
    this.nodeNext[node] = head;
    if (head !== NONE) this.nodePrev[head] = node;
    this.cellHead[cell] = node;
    this.cellCount[cell] = (this.cellCount[cell] as number) + 1;
    return node;
  }

  private unlink(node: number): void {
    const cell = this.nodeCell[node] as number;
    const prev = this.nodePrev[node] as number;
    const next = this.nodeNext[node] as number;
    if (prev !== NONE) this.nodeNext[prev] = next;
    else this.cellHead[cell] = next;
    if (next !== NONE) this.nodePrev[next] = prev;
    this.cellCount[cell] = (this.cellCount[cell] as number) - 1;
    this.nodeNext[node] = this.freeNode;
    this.freeNode = node;
  }

  /** Keeps the cell table at most MAX_LOAD full, rebuilding it (without emptied bands) when needed. */
  private reserveCells(more: number): void {
    if (this.usedCells + more <= this.cellHash.length * MAX_LOAD) return;
    let live = more;
    for (let i = 0; i < this.cellCount.length; i++) if ((this.cellCount[i] as number) > 0) live++;
    // After a rebuild the table is at most half full: room to grow before the next one.
    let capacity = this.cellHash.length;
    while (live * 2 > capacity) capacity *= 2;
    const old = { hash: this.cellHash, head: this.cellHead, count: this.cellCount };
    this.cellHash = new Float64Array(capacity);
    this.cellHead = new Int32Array(capacity);
    this.cellCount = new Int32Array(capacity).fill(FREE_CELL);
    this.usedCells = 0;
    for (let i = 0; i < old.count.length; i++) {
      if ((old.count[i] as number) <= 0) continue;
      const cell = this.cellFor(old.hash[i] as number, true);
      this.cellHead[cell] = old.head[i] as number;
      this.cellCount[cell] = old.count[i] as number;
      for (let node = old.head[i] as number; node !== NONE; node = this.nodeNext[node] as number) this.nodeCell[node] = cell;
    }
  }

  private growNodes(): void {
    const grow = (a: Int32Array) => {
      const b = new Int32Array(a.length * 2);
      b.set(a);
      return b;
    };
    this.nodeSlot = grow(this.nodeSlot);
    this.nodeCell = grow(this.nodeCell);
    this.nodePrev = grow(this.nodePrev);
    this.nodeNext = grow(this.nodeNext);
    this.nodeNextOfSlot = grow(this.nodeNextOfSlot);
  }

  private growSlots(needed: number): void {
    if (needed <= this.slotPublished.length) return;
    const capacity = Math.max(needed, this.slotPublished.length * 2);
    const published = new Float64Array(capacity);
    published.set(this.slotPublished);
    this.slotPublished = published;
    const firstNode = new Int32Array(capacity);
    firstNode.set(this.slotFirstNode);
    this.slotFirstNode = firstNode;
    const mark = new Int32Array(capacity);
    mark.set(this.mark);
    this.mark = mark;
    this.shared = new Uint8Array(capacity);
    this.viaQuietBand = new Uint8Array(capacity);
  }
}
