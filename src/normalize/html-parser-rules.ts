/**
 * How htmlparser2, the parser under sanitize-html, opens and closes elements: what the fast path must reproduce, and
 * what decides how deep a document nests when sanitize-html reads it.
 */

/** htmlparser2's void elements: never pushed on the stack, closed at once. */
export const VOID = new Set(['area', 'base', 'basefont', 'br', 'col', 'command', 'embed', 'frame', 'hr', 'img', 'input', 'isindex', 'keygen', 'link', 'meta', 'param', 'source', 'track', 'wbr']);

/** htmlparser2's openImpliesClose: opening the key closes an open element of the set on top of the stack. */
const P = ['p'];
const FORM = ['input', 'option', 'optgroup', 'select', 'button', 'datalist', 'textarea'];
export const IMPLIES_CLOSE: ReadonlyMap<string, ReadonlySet<string>> = new Map(
  (
    [
      ['tr', ['tr', 'th', 'td']], ['th', ['th']], ['td', ['thead', 'th', 'td']], ['body', ['head', 'link', 'script']],
      ['li', ['li']], ['p', P], ['h1', P], ['h2', P], ['h3', P], ['h4', P], ['h5', P], ['h6', P], ['select', FORM],
      ['input', FORM], ['output', FORM], ['button', FORM], ['datalist', FORM], ['textarea', FORM], ['option', ['option']],
      ['optgroup', ['optgroup', 'option']], ['dd', ['dd', 'dt']], ['dt', ['dd', 'dt']], ['address', P], ['article', P],
      ['aside', P], ['blockquote', P], ['details', P], ['div', P], ['dl', P], ['fieldset', P], ['figcaption', P],
      ['figure', P], ['footer', P], ['form', P], ['header', P], ['hr', P], ['main', P], ['nav', P], ['ol', P], ['pre', P],
      ['section', P], ['table', P], ['ul', P], ['rt', ['rt', 'rp']], ['rp', ['rt', 'rp']], ['tbody', ['thead', 'tbody']],
      ['tfoot', ['thead', 'tbody']],
    ] as [string, string[]][]
  ).map(([k, v]) => [k, new Set(v)]),
);

/**
 * Markup nested deeper than this is flattened to text before it reaches sanitize-html. htmlparser2 keeps its open
 * elements in an array it `unshift`s, so each start tag costs the current depth: 200,000 unclosed `<div>`s in one
 * item (a 1 MB body) took minutes of a feed thread. Real articles nest a few dozen deep.
 */
export const MAX_HTML_DEPTH = 256;

const TAG_NAME = /<(\/?)([A-Za-z][A-Za-z0-9:-]*)/g;

/**
 * Whether htmlparser2 would hold more than `limit` open elements at some point of `html`. Follows its rules for void
 * elements, implied end tags and end tags without a start tag; tags inside comments or raw-text elements count too,
 * which can only overstate the depth. Linear: an end tag looks for its start tag only when one is open.
 */
export function nestsDeeperThan(html: string, limit: number): boolean {
  const stack: string[] = [];
  const open = new Map<string, number>();
  const pop = () => {
    const name = stack.pop() as string;
    open.set(name, (open.get(name) as number) - 1);
  };
  TAG_NAME.lastIndex = 0;
  for (let m = TAG_NAME.exec(html); m; m = TAG_NAME.exec(html)) {
    const name = (m[2] as string).toLowerCase();
    if (m[1]) {
      if (!open.get(name)) continue;
      while (stack[stack.length - 1] !== name) pop();
      pop();
      continue;
    }
    if (VOID.has(name)) continue;
    const implied = IMPLIES_CLOSE.get(name);
    while (implied && stack.length > 0 && implied.has(stack[stack.length - 1] as string)) pop();
    stack.push(name);
    open.set(name, (open.get(name) ?? 0) + 1);
    if (stack.length > limit) return true;
  }
  return false;
}
