interface Entry {
  readonly etag: string;
  readonly body: Promise<Buffer>;
  bytes: number;
}

/**
 * Compressed bodies by (path, coding), valid while the file's ETag is unchanged. Published files change at most once
 * per pass while readers poll them all the time, so each version is compressed once; concurrent requests share the
 * work. Least recently used entries go once the bodies exceed `maxBytes`.
 */
export class CompressionCache {
  private readonly entries = new Map<string, Entry>();
  private bytes = 0;

  constructor(private readonly maxBytes: number) {}

  get(key: string, etag: string, compress: () => Promise<Buffer>): Promise<Buffer> {
    const hit = this.entries.get(key);
    if (hit !== undefined) {
      this.remove(key, hit);
      if (hit.etag === etag) {
        this.entries.set(key, hit); // re-insert: Map order is the recency order
        this.bytes += hit.bytes;
        return hit.body;
      }
    }
    const entry: Entry = { etag, body: compress(), bytes: 0 };
    this.entries.set(key, entry);
    entry.body.then(
      (body) => {
        if (this.entries.get(key) !== entry) return;
        entry.bytes = body.length;
        this.bytes += body.length;
        this.evict();
      },
      () => {
        // the caller awaits the same promise and reports the error; only forget the entry here
        if (this.entries.get(key) === entry) this.entries.delete(key);
      },
    );
    return entry.body;
  }

  private remove(key: string, entry: Entry): void {
    this.entries.delete(key);
    this.bytes -= entry.bytes;
  }

  private evict(): void {
    for (const [key, entry] of this.entries) {
      if (this.bytes <= this.maxBytes) return;
      this.remove(key, entry);
    }
  }
}
