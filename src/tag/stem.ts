/**
 * A light English stemmer for topic words: folds plurals and -ed/-ing forms onto one key ("elections" → "election", "floods",
 * "flooding", "flooded" → "flood"). Words ending in -e ("trade", "trading") meet through the lexicon, which adds
 * the -ing/-ed keys of such words. Deliberately shallow: it
 * only has to make a word and its inflections meet, the same function being applied to lexicon and text.
 */
export function stemWord(word: string): string {
  let w = word;
  const n = w.length;
  if (n <= 3 || w === 'news') return w;
  const last = w.charCodeAt(n - 1);
  if (last < 97 || last > 122) return w; // not a lower-case ASCII ending: leave other scripts alone
  if (w.endsWith('ies') && n > 4) w = w.slice(0, -3) + 'y';
  else if (w.endsWith('sses')) w = w.slice(0, -2);
  else if (w.endsWith('s') && !w.endsWith('ss') && !w.endsWith('us') && !w.endsWith('is') && !w.endsWith('ics')) w = w.slice(0, -1);
  if (w.endsWith('ing') && w.length > 5) w = undouble(w.slice(0, -3));
  else if (w.endsWith('ied') && w.length > 4) w = w.slice(0, -3) + 'y';
  else if (w.endsWith('ed') && w.length > 4 && !w.endsWith('eed')) w = undouble(w.slice(0, -2));
  if (w.endsWith('ers') && w.length > 5) w = w.slice(0, -3);
  else if (w.endsWith('er') && w.length > 5 && !w.endsWith('eer')) w = w.slice(0, -2);
  return w;
}

function undouble(w: string): string {
  const n = w.length;
  if (n >= 4 && w[n - 1] === w[n - 2] && !'lsz'.includes(w[n - 1]!) && !'aeiou'.includes(w[n - 1]!)) return w.slice(0, -1);
  return w;
}
