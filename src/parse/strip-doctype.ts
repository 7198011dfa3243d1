import { skipDoctype } from './detect-document.js';

/**
 * Remove the document type declaration. Feeds never need it, and its internal subset is where entity attacks live
 * (billion laughs, `SYSTEM "file:///etc/passwd"`): sax never expands those entities, and without the declaration a
 * reference to one is just an unknown entity, escaped by the repair pass. `declaredEntities` says whether the subset
 * declared any, for a warning. Only a doctype in the prolog counts: one inside a comment or CDATA is data.
 */
export function stripDoctype(text: string): { text: string; stripped: boolean; declaredEntities: boolean } {
  const unchanged = { text, stripped: false, declaredEntities: false };
  let i = 0;
  for (;;) {
    const lt = text.indexOf('<', i);
    if (lt < 0) return unchanged;
    if (text.startsWith('<?', lt)) {
      const end = text.indexOf('?>', lt + 2);
      if (end < 0) return unchanged;
      i = end + 2;
    } else if (text.startsWith('<!--', lt)) {
      const end = text.indexOf('-->', lt + 4);
      if (end < 0) return unchanged;
      i = end + 3;
    } else if (/^<!DOCTYPE/i.test(text.slice(lt, lt + 9))) {
      let end = skipDoctype(text, lt);
      if (end < 0) {
        // Unterminated internal subset: drop through the first `]>`, else everything up to the first element.
        const close = text.indexOf(']>', lt);
        const element = text.slice(lt).search(/<[A-Za-z_]/);
        end = close >= 0 ? close + 2 : element >= 0 ? lt + element : text.length;
      }
      const decl = text.slice(lt, end);
      return { text: text.slice(0, lt) + text.slice(end), stripped: true, declaredEntities: /<!ENTITY/i.test(decl) };
    } else {
      return unchanged;
    }
  }
}
