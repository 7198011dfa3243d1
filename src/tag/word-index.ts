import { hashWord } from './tokenize.js';

/**
 * A read-only hash table from word to value, probed with the hash the tokenizer computed and compared character by
 * character against the text, so looking up a word makes no string.
 */
export class WordIndex<T> {
  private readonly mask: number;
  private readonly hashes: Int32Array;
  private readonly refs: Int32Array;
  private readonly keys: string[] = [];
  private readonly values: T[] = [];

  constructor(words: ReadonlyMap<string, T>) {
    let size = 1024;
    while (size < words.size * 3) size *= 2;
    this.mask = size - 1;
    this.hashes = new Int32Array(size);
    this.refs = new Int32Array(size).fill(-1);
    for (const [key, value] of words) {
      const h = hashWord(key);
      let at = mix(h) & this.mask;
      while (this.refs[at] !== -1) at = (at + 1) & this.mask;
      this.hashes[at] = h;
      this.refs[at] = this.keys.length;
      this.keys.push(key);
      this.values.push(value);
    }
  }

  /** The value of the word `text.slice(start, start + len)`, whose `hashWord` is `hash`. */
  find(hash: number, text: string, start: number, len: number): T | undefined {
    let at = mix(hash) & this.mask;
    for (;;) {
      const ref = this.refs[at]!;
      if (ref === -1) return undefined;
      if (this.hashes[at] === hash) {
        const key = this.keys[ref]!;
        if (key.length === len) {
          let k = 0;
          while (k < len && key.charCodeAt(k) === text.charCodeAt(start + k)) k++;
          if (k === len) return this.values[ref];
        }
      }
      at = (at + 1) & this.mask;
    }
  }
}

const mix = (h: number): number => {
  let x = h ^ (h >>> 16);
  x = Math.imul(x, 0x45d9f3b);
  return x ^ (x >>> 16);
};
