/**
 * Words that carry no story: function words, reporting verbs and units whose number is kept on its own. English is
 * the bulk of the feeds; short lists for Hindi, Urdu, Nepali, Bengali, Persian and Russian keep their postpositions
 * and particles from swamping short ledes. Other languages fall back to the one-letter rule in `text-features.ts`.
 */
const LISTS = [
  // English function words
  `a about above after again against ago all also am an and any are around as at be been before being below between
  both but by can could did do does doing down during each few for from further had has have having he her here hers
  him his how i if in into is it its itself just may me might more most much must my near no nor not now of off on
  once only or other our out over own same shall she should so some such than that the their them then there these
  they this those through to too under until up upon us very via was we were what when where which while who whom
  why will with within would you your yet since per cent percent pct pc amid among across along while whose
  another many several least nearly almost about some`,
  // reporting and filler words that every copy has or lacks at random
  `said says say saying told tells added adding according report reported reports reporting statement statements
  quoted quoting citing cited news agency official officials sources source spokesman spokesperson spokeswoman
  today yesterday tomorrow tonight morning evening afternoon night week weeks month months year years day days
  local time new also however meanwhile further earlier later last first next mr ms mrs dr`,
  // units whose number is kept as a number token
  'million billion trillion thousand hundred lakh lakhs crore crores mln bn rs usd us$ nu tk',
  // Hindi / Nepali
  'के का की को में से ने पर और है हैं था थी थे हो गया गई गए लिए भी कि जो यह वह एक इस उस तो ही रहा रही रहे कर करने किया ले दिया बताया छ र मा को ले',
  // Urdu / Persian
  'کے کا کی کو میں سے نے پر اور ہے ہیں تھا تھی تھے ہو گیا گئی گئے لیے بھی کہ جو یہ وہ ایک اس کر کیا گا گی دی در از به با را که این آن است شد',
  // Bengali
  'এবং ও করে হয় হয়েছে এই থেকে জন্য সঙ্গে না তার এক',
  // Russian
  `и в во не что на с со как а то все так его но да к у же за бы по только ее было от из о уже или до для мы их
  при об после над тот через эти про это этот также который которые сообщили сообщает году года`,
];

export const STOPWORDS: ReadonlySet<string> = new Set(LISTS.join(' ').split(/\s+/).filter(Boolean));

export const WEEKDAYS: ReadonlyMap<string, number> = new Map([
  ['monday', 0], ['tuesday', 1], ['wednesday', 2], ['thursday', 3], ['friday', 4], ['saturday', 5], ['sunday', 6],
]);

export const MONTHS: ReadonlySet<string> = new Set(
  `january february march april may june july august september october november december
  jan feb mar apr jun jul aug sep sept oct nov dec`.split(/\s+/),
);

/**
 * Words common to news of every kind. They stay in the comparison of two items but are left out of the band keys:
 * two unrelated stories share "government" and "police" often, and every such shared word is a wasted candidate.
 * (Checked as stemmed by `normalizeWord`.)
 */
export const COMMON_NEWS_WORDS: ReadonlySet<string> = new Set(
  `government minister ministry police people country countries national state states province provincial district
  city capital president prime chief official public security force forces army military attack attacks kill killed
  death dead injur wound victim victims leader leaders party parties election elections vote court law case cases
  rule order plan project programme program policy support help work worker workers service services system
  development economic economy market markets price prices trade business company companies bank financial fund
  funds money cost costs budget tax growth rate rates percent increase increased rise fall high low record
  number total part group groups member members team meeting meetings talks visit agreement deal sign signed
  announce announced decision issue issues situation area areas region regional border borders world international
  foreign local community health hospital school schools student students water power energy road roads
  water food aid relief help international global top major main key senior former current recent continue
  begin began start started end ended take taken make made give given hold held come came go went set put
  million billion crore lakh dollar dollars rupee rupees us usd around least more most over under since
  afghanistan pakistan india bangladesh nepal sri lanka bhutan maldives iran china russia united america`
    .split(/\s+/)
    .filter(Boolean),
);
