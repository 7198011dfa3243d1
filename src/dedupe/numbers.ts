/**
 * Figures as copies of one story write them: "$1.2bn", "1.2 billion dollars" and "USD 1,200 million" are one
 * number; "388.17 points" and "388 points" agree; "26,100" (a round threshold) and "26,171" do not, nor do a toll of
 * 10 and a toll of 12. A number keeps the digits its writer gave, so that a rounded figure can be compared with a
 * precise one at the rounded one's precision.
 */

/** value = 0.digits × 10^exp, e.g. 160,211.48 → { digits: '16021148', exp: 6 }. */
export interface Figure {
  readonly digits: string;
  readonly exp: number;
  /**
   * A year (1900–2099) or a day of a month ("November 18"): when copies of a story name a date, they name it in
   * different ways or not at all, so it is never taken as a disagreement.
   */
  readonly calendar?: boolean;
}

const MULTIPLIERS: ReadonlyMap<string, number> = new Map([
  ['thousand', 3], ['k', 3], ['тыс', 3],
  ['lakh', 5], ['lakhs', 5], ['लाख', 5], ['لاکھ', 5],
  ['million', 6], ['millions', 6], ['mn', 6], ['mln', 6], ['m', 6], ['млн', 6],
  ['crore', 7], ['crores', 7], ['cr', 7], ['करोड़', 7], ['کروڑ', 7],
  ['billion', 9], ['billions', 9], ['bn', 9], ['b', 9], ['млрд', 9], ['arab', 9],
  ['trillion', 12], ['tn', 12], ['трлн', 12],
]);

/** The power of ten a word after a number stands for ("bn" → 9), or undefined. */
export function multiplierOf(word: string): number | undefined {
  return MULTIPLIERS.get(word);
}

const NUMBER_WORDS: ReadonlyMap<string, number> = new Map([
  ['two', 2], ['three', 3], ['four', 4], ['five', 5], ['six', 6], ['seven', 7], ['eight', 8], ['nine', 9],
  ['ten', 10], ['eleven', 11], ['twelve', 12], ['thirteen', 13], ['fourteen', 14], ['fifteen', 15],
  ['sixteen', 16], ['seventeen', 17], ['eighteen', 18], ['nineteen', 19], ['twenty', 20], ['thirty', 30],
  ['forty', 40], ['fifty', 50], ['sixty', 60], ['seventy', 70], ['eighty', 80], ['ninety', 90],
]);

/** "six" → 6 (English; "one" is left alone, it is mostly a pronoun). */
export function numberWordValue(word: string): number | undefined {
  return NUMBER_WORDS.get(word);
}

/**
 * Reads a figure from ASCII digits with optional thousands commas and decimal point ("1,412.35"), scaled by a
 * power of ten from a multiplier word. Integers below 1,000 keep their trailing zeros as significant (a toll of 10
 * is not "about 12"); larger round numbers and multiplied ones are taken at the precision written.
 */
export function parseFigure(raw: string, scale = 0): Figure | undefined {
  const text = raw.replace(/,/g, '');
  const dot = text.indexOf('.');
  const intPart = dot < 0 ? text : text.slice(0, dot);
  const fracPart = dot < 0 ? '' : text.slice(dot + 1);
  if (!/^\d*$/.test(intPart) || !/^\d*$/.test(fracPart) || intPart.length + fracPart.length === 0) return undefined;
  let all = intPart + fracPart;
  let exp = intPart.length + scale;
  let lead = 0;
  while (lead < all.length - 1 && all[lead] === '0') lead++;
  all = all.slice(lead);
  exp -= lead;
  if (all === '0') return { digits: '0', exp: 0 };
  const integer = fracPart.length === 0;
  const keepZeros = integer && scale === 0 && all.length <= 3 && exp <= 3;
  if (!keepZeros) all = all.replace(/0+$/, '') || '0';
  const year = integer && scale === 0 && lead === 0 && exp === 4 && /^(19|20)\d\d$/.test(intPart);
  return year ? { digits: all, exp, calendar: true } : { digits: all, exp };
}

/** A figure from an integer value (number words). */
export function figureOf(value: number): Figure {
  return parseFigure(String(value)) as Figure;
}

/**
 * True when two figures can be the same fact: equal, or the more precise one rounds to the other at the other's
 * precision. A figure written to the unit or finer may also be the other with its decimals dropped ("1,412" for
 * 1,412.65); a round one ("26,100", "$1.2bn") is a rounding, never a truncation.
 */
export function figuresAgree(a: Figure, b: Figure): boolean {
  if (a.digits === b.digits && a.exp === b.exp) return true;
  const [short, long] = a.digits.length <= b.digits.length ? [a, b] : [b, a];
  if (short.digits.length === long.digits.length) return false;
  const n = short.digits.length;
  const head = long.digits.slice(0, n);
  const roundsDown = long.digits.charCodeAt(n) < 0x35;
  const toTheUnit = short.exp <= short.digits.length;
  if (long.exp === short.exp && head === short.digits && (roundsDown || toTheUnit)) return true;
  if (roundsDown) return false;
  const rounded = roundUp(head);
  return rounded.carry
    ? short.exp === long.exp + 1 && short.digits === rounded.digits.replace(/0+$/, '')
    : short.exp === long.exp && short.digits === rounded.digits;
}

function roundUp(digits: string): { digits: string; carry: boolean } {
  const out = digits.split('');
  for (let i = out.length - 1; i >= 0; i--) {
    if (out[i] === '9') out[i] = '0';
    else {
      out[i] = String.fromCharCode((out[i] as string).charCodeAt(0) + 1);
      return { digits: out.join(''), carry: false };
    }
  }
  return { digits: '1' + out.join(''), carry: true };
}

/** The same figure, marked as a day of a month. */
export function asCalendar(f: Figure): Figure {
  return { ...f, calendar: true };
}

/** Compact text form for the signature: digits, 'e', exponent, and 'c' for a calendar figure. */
export function encodeFigure(f: Figure): string {
  return `${f.digits}e${f.exp}${f.calendar ? 'c' : ''}`;
}

export function decodeFigure(text: string): Figure | undefined {
  const m = /^(\d+)e(-?\d+)(c?)$/.exec(text);
  if (!m) return undefined;
  return m[3] ? { digits: m[1] as string, exp: Number(m[2]), calendar: true } : { digits: m[1] as string, exp: Number(m[2]) };
}
