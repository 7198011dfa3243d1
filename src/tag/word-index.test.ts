import { describe, expect, it } from 'vitest';
import { hashWord } from './tokenize.js';
import { WordIndex } from './word-index.js';

describe('WordIndex', () => {
  const words = new Map(Array.from({ length: 5000 }, (_, i) => [`w${i.toString(36)}`, i] as const));
  const index = new WordIndex(words);

  it('finds every word where it stands in a text, and nothing else', () => {
    const text = 'xx w0 wz w3w4 nope';
    expect(index.find(hashWord('w0'), text, 3, 2)).toBe(0);
    expect(index.find(hashWord('wz'), text, 6, 2)).toBe(35);
    expect(index.find(hashWord('w3w4'), text, 9, 4)).toBeUndefined();
    expect(index.find(hashWord('nope'), text, 14, 4)).toBeUndefined();
    for (const [word, value] of words) expect(index.find(hashWord(word), ` ${word} `, 1, word.length)).toBe(value);
  });

  it('compares the characters, not only the hash', () => {
    // Same length, same hash given, other characters: a hash match alone must not count.
    expect(index.find(hashWord('w1'), 'w2', 0, 2)).toBeUndefined();
  });
});
