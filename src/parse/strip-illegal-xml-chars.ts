/**
 * Characters XML 1.0 forbids (C0 controls other than tab/LF/CR, lone surrogates, U+FFFE/U+FFFF), and character
 * references to them. Real feeds carry them (pasted from word processors, truncated multi-byte text) and strict
 * parsers and feed readers reject the whole document for one of them.
 */
const ILLEGAL_CHARS =
  /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
const ILLEGAL_CHAR_REFS = /&#(?:0*(?:[0-8]|1[124-9]|2\d|3[01])|[xX]0*(?:[0-8bBcCeEfF]|1[0-9a-fA-F]));/g;

/** Remove characters that are not legal in XML 1.0; returns how many were removed. */
export function stripIllegalXmlChars(text: string): { text: string; removed: number } {
  let removed = 0;
  ILLEGAL_CHARS.lastIndex = 0;
  if (ILLEGAL_CHARS.test(text)) {
    text = text.replace(ILLEGAL_CHARS, () => {
      removed++;
      return '';
    });
  }
  ILLEGAL_CHAR_REFS.lastIndex = 0;
  if (text.includes('&#') && ILLEGAL_CHAR_REFS.test(text)) {
    text = text.replace(ILLEGAL_CHAR_REFS, () => {
      removed++;
      return '';
    });
  }
  return { text, removed };
}
