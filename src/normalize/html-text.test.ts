import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { normalizeText } from './html-text.js';

/** The definition normalizeText implements faster: every whitespace run holding a line break → one break, others → a space. */
function plainNormalize(s: string): string {
  if (!s.includes('\n') && !s.includes('\r')) return s.replace(/\s+/g, ' ').trim();
  return s.replace(/\s*[\n\r]\s*/g, '\n').replace(/[^\S\n]+/g, ' ').trim();
}

describe('normalizeText', () => {
  it('collapses whitespace as its plain definition does, for any mix of spaces, breaks and words', () => {
    const piece = fc.constantFrom(' ', '  ', '\t', '\n', '\r\n', '\r', '\u00a0', '\u2009', '\u3000', '\f', 'a', 'word', 'دو', '\u200b');
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 40 }), (pieces) => {
        const s = pieces.join('');
        expect(normalizeText(s)).toBe(plainNormalize(s));
      }),
      { numRuns: 2000 },
    );
  });

  it('keeps single spaces and line structure', () => {
    expect(normalizeText('  Floods in \t Sindh \n\n  kill 12 \r\n people  ')).toBe('Floods in Sindh\nkill 12\npeople');
    expect(normalizeText('one two\u00a0 three')).toBe('one two three');
  });
});
