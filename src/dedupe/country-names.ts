import { COUNTRY_CODES, countryName } from '../core/index.js';

// Words of country names that name no country on their own ("United", "Republic", "South").
const GENERIC = new Set(
  `united states kingdom republic democratic people islands island saint and the of new north south east west
  central guinea arab emirates federated federation minor outlying territories territory sar china's northern
  southern french british heard mcdonald sao tome principe holy see vatican city isle`.split(/\s+/),
);
// Dependent territories: their names clash with places and people ("St Martin's Island", "British Indian Ocean").
const TERRITORIES = new Set(
  `AS AI AQ AW AX BL BM BQ BV CC CK CW CX EH FK FO GF GG GI GL GP GS GU HK HM IM IO JE KY MF MO MP MQ MS NC NF NU PF
  PM PN PR RE SH SJ SX TC TF TK UM VG VI WF YT`.split(/\s+/),
);
const ALIASES = ['us', 'usa', 'uk', 'uae', 'america', 'britain', 'burma', 'holland', 'turkey', 'türkiye', 'vatican'];

/** Lower-case words that name a country as a noun ("afghanistan", "lanka", "us"); demonyms are not among them. */
export const COUNTRY_WORDS: ReadonlySet<string> = buildCountryWords();

function buildCountryWords(): Set<string> {
  const words = new Set(ALIASES);
  for (const code of COUNTRY_CODES) {
    if (TERRITORIES.has(code)) continue;
    for (const word of countryName(code).toLowerCase().split(/[\s,()&.-]+/)) {
      if (word.length >= 4 && !GENERIC.has(word)) words.add(word);
    }
  }
  return words;
}
