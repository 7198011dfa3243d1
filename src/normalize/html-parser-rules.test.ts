import fc from 'fast-check';
import sanitizeHtml from 'sanitize-html';
import { describe, expect, it } from 'vitest';
import { nestsDeeperThan, VOID } from './html-parser-rules.js';

/** The deepest stack of open elements htmlparser2 holds while sanitize-html reads `html` (void elements apart). */
function depthUnderSanitizeHtml(html: string): number {
  let depth = 0;
  let deepest = 0;
  sanitizeHtml(html, {
    allowedTags: false,
    allowedAttributes: false,
    onOpenTag: (name) => {
      if (!VOID.has(name)) deepest = Math.max(deepest, ++depth);
    },
    onCloseTag: (name) => {
      if (!VOID.has(name)) depth--;
    },
  });
  return deepest;
}

describe('nestsDeeperThan', () => {
  it('follows htmlparser2: implied end tags, void elements, end tags that close several or nothing', () => {
    // `</p>` and `</br>` without a start tag make elements of their own in htmlparser2: left out of the alphabet.
    const token = fc.constantFrom('<p>', '<li>', '<div>', '</div>', '<b>', '</b>', '<a href="x">', '</a>', '<br>', '<img src="y">', '<td>', '<tr>', '</tr>', '<ul>', '</ul>', '</li>', 'text ', '<DIV>', '</i>');
    fc.assert(
      fc.property(fc.array(token, { maxLength: 60 }), fc.integer({ min: 0, max: 12 }), (tokens, limit) => {
        const html = tokens.join('');
        expect(nestsDeeperThan(html, limit)).toBe(depthUnderSanitizeHtml(html) > limit);
      }),
      { numRuns: 1000 },
    );
  });

  it('counts unclosed paragraphs and list items as siblings, not as nesting', () => {
    expect(nestsDeeperThan('<p>one'.repeat(1000), 2)).toBe(false);
    expect(nestsDeeperThan(`<ul>${'<li>x'.repeat(1000)}</ul>`, 3)).toBe(false);
    expect(nestsDeeperThan('<div>'.repeat(300), 256)).toBe(true);
  });
});
