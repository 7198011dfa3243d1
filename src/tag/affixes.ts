import { foldText, Script } from './tokenize.js';

/**
 * Inflection handling for scripts whose place names take attached affixes:
 * - Cyrillic (Russian): names decline (Россия, России, Россией; Москва, Москве), so both aliases and text are keyed by
 *   a stem with the case ending removed.
 * - Arabic script (Arabic, Persian, Urdu, Pashto): clitic prefixes (و, ب, ل, ف, ک, ال …) and suffixes (nisba ی/یه,
 *   plurals ها/ان/ون/یوں) are stripped when the whole word is not a known name.
 * - Devanagari (Hindi, Nepali), Bengali, Tamil: case markers written onto the word (नेपालको, ভারতের, இந்தியாவில்).
 */

// Longest first. Applied once; a stem shorter than 3 letters keeps its ending.
const RU_ENDINGS = [
  'иями', 'ями', 'ами', 'ией', 'ого', 'его', 'ому', 'ему', 'ими', 'ыми', 'ий', 'ый', 'ой', 'ая', 'яя', 'ое', 'ее', 'ие', 'ые',
  'ых', 'их', 'ым', 'им', 'ую', 'юю', 'ом', 'ем', 'ам', 'ям', 'ах', 'ях', 'ов', 'ев', 'ей', 'ию', 'ия', 'ии', 'а', 'я', 'у',
  'ю', 'е', 'и', 'ы', 'о', 'й', 'ь',
];

/** The declension-free key of a Russian word (already lower-cased). */
export function ruStem(word: string): string {
  if (word.length <= 3) return word;
  let stem = ruStems.get(word);
  if (stem !== undefined) return stem;
  stem = word;
  for (const ending of RU_ENDINGS) {
    if (word.endsWith(ending) && word.length - ending.length >= 3) {
      stem = word.slice(0, -ending.length);
      break;
    }
  }
  if (ruStems.size >= 50_000) ruStems.clear();
  ruStems.set(word, stem);
  return stem;
}

// Russian news vocabulary repeats; remember stems (bounded).
const ruStems = new Map<string, string>();

const fold = (list: string[]): string[] => [...new Set(list.map((s) => foldText(s)))].sort((a, b) => b.length - a.length);

const ARABIC_PREFIXES = fold(['وال', 'بال', 'فال', 'كال', 'لل', 'ولل', 'ال', 'و', 'ب', 'ل', 'ف', 'ك', 'وب', 'ول', 'د']);
const ARABIC_SUFFIXES = fold(['یه', 'ية', 'يين', 'يون', 'ين', 'ون', 'ها', 'های', 'یان', 'ان', 'یوں', 'وں', 'یں', 'یی', 'ایی', 'ي', 'ی', 'ه', 'ۍ', 'ې', 'و', 'ته', 'کې']);
const ARABIC_RESTORE = ['', 'ه', 'ا', 'ستان'];

const DEVANAGARI_SUFFIXES = fold(['को', 'का', 'की', 'के', 'मा', 'ले', 'लाई', 'सँग', 'बाट', 'माथि', 'तिर', 'भन्दा', 'हरू', 'ीय', 'ी', 'में', 'से', 'ने', 'पर', 'वासी']);
const BENGALI_SUFFIXES = fold(['য়ের', 'য়ে', 'েরা', 'ের', 'এর', 'তে', 'কে', 'ে', 'র', 'ীয়', 'ী', 'ি', 'বাসী', 'য়']);
const TAMIL_SUFFIXES = fold([
  'விலிருந்து', 'யிலிருந்து', 'ிலிருந்து', 'வுக்கு', 'யுக்கு', 'ுக்கு', 'க்கு', 'வில்', 'யில்', 'ில்', 'வின்', 'யின்', 'ின்', 'வுடன்', 'யுடன்', 'ுடன்', 'வை', 'யை', 'ை',
  'ிடம்', 'ால்', 'வால்', 'ின', 'த்', 'ிய',
]);
const TAMIL_RESTORE = ['', '்', 'ா', 'ம்'];

/**
 * Candidate keys for a word that is not itself a known name: the word without its attached affixes, most specific
 * first. Empty for scripts without affix handling.
 */
export function affixVariants(word: string, script: Script): string[] {
  switch (script) {
    case Script.Arabic:
      return arabicVariants(word);
    case Script.Devanagari:
      return suffixVariants(word, DEVANAGARI_SUFFIXES, [''], 2);
    case Script.Bengali:
      return suffixVariants(word, BENGALI_SUFFIXES, [''], 2);
    case Script.Tamil:
      return suffixVariants(word, TAMIL_SUFFIXES, TAMIL_RESTORE, 2);
    default:
      return [];
  }
}

function suffixVariants(word: string, suffixes: string[], restore: string[], minCore: number): string[] {
  const out: string[] = [];
  for (const suffix of suffixes) {
    if (word.length - suffix.length < minCore || !word.endsWith(suffix)) continue;
    const core = word.slice(0, -suffix.length);
    for (const tail of restore) out.push(core + tail);
  }
  return out;
}

function arabicVariants(word: string): string[] {
  const out: string[] = [];
  const cores = [word];
  for (const prefix of ARABIC_PREFIXES) {
    if (word.length - prefix.length >= 3 && word.startsWith(prefix)) cores.push(word.slice(prefix.length));
  }
  for (const core of cores) {
    if (core !== word) out.push(core);
    for (const suffix of ARABIC_SUFFIXES) {
      if (core.length - suffix.length < 2 || !core.endsWith(suffix)) continue;
      const stem = core.slice(0, -suffix.length);
      for (const tail of ARABIC_RESTORE) out.push(stem + tail);
    }
  }
  return out;
}
