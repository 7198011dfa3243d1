/**
 * What outlets add around a wire story, removed before comparing copies: " - Outlet" title suffixes and kickers,
 * bylines, datelines ("KABUL (Reuters) -", "Mumbai, Nov 24 (PTI)", "KATHMANDU, NOVEMBER 21:"), agency credits
 * ("— AFP", "(With inputs from PTI)", "according to a report by …") and feed footers ("Read more", "The post … appeared
 * first on …", syndication notices).
 */

const OUTLET_WORDS = new Set(
  `news times post tribune daily express herald star mirror online tv agency portal dawn standard today journal
  gazette observer chronicle telegraph press media network review report com net org live world national dot
  english urdu hindi bangla nepal kabul breaking latest update updates desk edition`.split(/\s+/),
);
const CONNECTORS = new Set(['of', 'the', 'and', 'for', 'in', 'on', 'de', 'la', 'al', 'el', '&', "'s", 'no.1', 'no.', 'no']);

const TITLE_KICKER =
  /^(?:(?:breaking(?: news)?|live(?: updates?)?|watch|video|audio|photos?|in pics|pics|exclusive|updated?|just in|opinion|analysis|explainer|editorial|factbox|podcast)\s*[:|\-–—]\s*)+/i;

/** A headline without the outlet's name, section and kicker: "X - World - DAWN.COM" → "X". */
export function cleanTitle(title: string): string {
  let text = normalizeSpace(title).replace(TITLE_KICKER, '');
  for (;;) {
    // The last separator: greedy head.
    const m = /^(.*)\s(\||-|–|—|::|•|·|\/\/)\s(.+)$/.exec(text);
    if (!m) break;
    const head = (m[1] as string).trimEnd();
    if (head.split(' ').length < 3 || !looksLikeOutlet(m[3] as string, m[2] === '|' || m[2] === '//')) break;
    text = head;
  }
  return text;
}

function looksLikeOutlet(segment: string, pipe: boolean): boolean {
  const words = segment.trim().split(/\s+/);
  if (words.length > 7) return false;
  if (pipe) return true;
  if (/\.(com|net|org|pk|in|np|bd|lk|af|mv|tv|co)\b/i.test(segment)) return true;
  let capitalised = 0;
  let outletWord = false;
  for (const w of words) {
    const lower = w.toLowerCase().replace(/[^\p{L}\p{N}.']/gu, '');
    if (OUTLET_WORDS.has(lower) || OUTLET_WORDS.has(lower.replace(/'s$/, ''))) outletWord = true;
    if (/^[\p{Lu}\p{N}]/u.test(w)) capitalised++;
    else if (!CONNECTORS.has(lower)) return false;
  }
  return outletWord || (capitalised === words.length && words.length <= 3);
}

const AGENCIES =
  'Reuters|AP|AFP|PTI|ANI|IANS|Xinhua|APP|UNI|UNB|BSS|RSS|NNS|Pajhwok|Bernama|dpa|DPA|AA|KUNA|WAM|IRNA|Tasnim|Anadolu|Kyodo|Yonhap|TASS|Interfax|Agencies|Bhasha|भाषा|वार्ता|آئی این پی|اے پی پی';

// "KABUL (Reuters) - ", "PESHAWAR, Pakistan (Reuters) - ", "Mumbai, Nov 24 (PTI) ", "KABUL, Nov. 18 (Xinhua) -- ",
// "Sriharikota (Andhra Pradesh) [India], November 20 (ANI): ", "देहरादून, 24 नवंबर (भाषा) ", "KABUL (Pajhwok): "
const AGENCY_DATELINE = new RegExp(
  String.raw`^([^()\n]{2,50}?)\s*(?:\([^()\n]{2,30}\)\s*)?(?:\[[^\]\n]{1,30}\]\s*)?(?:,\s*([^()\n]{1,30}?)\s*)?\((?:${AGENCIES}|[A-Z]{2,6})\)\s*([-–—:]{1,2}\s*|\s+)`,
  'u',
);
// "KABUL: ", "LANDI KOTAL: ", "KATHMANDU, NOVEMBER 21: ", "DHADING, Nov 19: ", "ECONOMYNEXT – ", "WASHINGTON/ISLAMABAD: "
const CAPS_DATELINE = /^([\p{Lu}][\p{Lu}\p{M} .'’/-]{1,40}?)(?:,\s*[\p{Lu}][\p{L}.]*\s+\d{1,2}(?:,\s*\d{4})?)?\s*(?::|[-–—]{1,2})\s+/u;
// "Khurda: ", "Kabul, Nov 24: "
const TITLECASE_DATELINE = /^([\p{Lu}][\p{Ll}\p{M}]+(?: [\p{Lu}][\p{Ll}\p{M}]+){0,2})(?:,\s*[\p{Lu}][\p{L}.]*\s+\d{1,2})?:\s+/u;
// Scripts without case: "اسلام آباد: ", "काठमाडौं, मंसिर ८: "
const UNCASED_DATELINE = /^((?:[\p{Lo}\p{M}]+\s?){1,3})(?:,\s*[^\s:]{1,12}\s+[^\s:]{1,12})?\s*:\s+/u;
const DATE_PART = /\d{1,2}\s+\S+|\S+\.?\s+\d{1,2}/u;

// Case-sensitive on purpose: with the `i` flag, \p{Lu} would match lower-case letters too.
const BYLINE_NAME =
  /^(?:By|BY)\s+(?:[\p{Lu}][\p{L}.'’-]*\s*){1,5}(?:(?:and|&)\s*(?:[\p{Lu}][\p{L}.'’-]*\s*){1,4})?(?:\n|\s*[|–—]\s*|\s+-\s+|(?=[\p{Lu}]{3,}))/u;
const BYLINE_DESK =
  /^(?:by\s+)?(?:(?:staff|special|our|own|senior)\s+(?:correspondent|reporter|writer)|(?:web|news|online|monitoring|sports|business|city|foreign)\s+desk)\s*(?:\n|[|,–—]\s*|-\s+)/i;

const TRAILERS: readonly RegExp[] = [
  /\s*\((?:reporting|writing|additional reporting|compiled|editing) by [^)]*\)\s*$/i,
  /\s*\((?:except for the headline, )?this (?:story|article|report) (?:has not been|was not) edited by [^)]*\)\s*$/i,
  /\s*(?:except for the headline, )?this (?:story|article|report) (?:has not been|was not) edited by .*$/i,
  /\s*\(?with inputs? from [^)\n]{1,80}\)?\.?\s*$/i,
  /\s*the post .{1,300}? appeared first on .{1,120}?$/is,
  /\s*(?:read more|continue reading|read the full (?:story|article)|read full (?:story|article)|click here to read)\b[^\n]{0,120}$/i,
  /\s*(?:also read|read also|also watch|follow (?:us|\S+) on)\s*:?[^\n]{0,200}$/i,
  /\s*(?:©|copyright)[^\n]{0,120}$/i,
  new RegExp(String.raw`\s*[-–—]+\s*(?:${AGENCIES}|agencies|Reuters/AFP|AFP/Reuters)\.?\s*$`, 'iu'),
  /\s*(?:\[\s*(?:…|\.\.\.)\s*\]|…|\.\.\.)\s*$/,
];

const OUTLETS =
  String.raw`${AGENCIES}|Radio Free Europe(?:/Radio Liberty)?|RFE/RL(?:'s [\p{L} ]{2,20}? Service)?|Radio Azadi|Radio Farda|Radio Mashaal|TOLOnews|Pajhwok(?: Afghan News)?|Khaama Press|Ariana News|Amu TV|Dawn|(?:The )?Express Tribune|Geo News|The News|NDTV|The Hindu|Hindustan Times|Times of India|Al Jazeera|BBC(?: [\p{L}]+)?|The Kathmandu Post|Kathmandu Post|The Himalayan Times|The Daily Star|Dhaka Tribune|bdnews24(?:\.com)?|Prothom Alo|Eurasianet|the (?:Uzbek|Kazakh|Kyrgyz|Tajik|Turkmen|Afghan|Pakistan|Russian) service of RFE/RL|Wall Street Journal|New York Times|Bloomberg|the Associated Press|Associated Press|Agence France-Presse`;
// ", according to a report by Reuters", "citing AFP": the credit, not the story. Other sources stay: "according to
// a report by the International Organization for Migration" is part of the story.
const CREDIT = new RegExp(
  String.raw`,?\s*(?:according to (?:a |an )?(?:reports? |statement |dispatch )?(?:by |in |from |of )?|(?:citing|quoting) (?:a report (?:by|in) )?)(?:(?:the )?(?:${OUTLETS}))(?=[\s,.;)]|$)`,
  'gu',
);

// Characters NFKC changes in news text: no-break and other spaces, ligatures, full-width forms, presentation forms.
const COMPATIBILITY = /[\u00a0\u2000-\u200a\u202f\u205f\u3000\ufb00-\ufdff\ufe30-\ufe4f\ufe70-\ufeff\uff00-\uffef]/;
const RUNS_OF_BLANKS = /\t| {2}/;

/** NFKC where it changes anything (full-width letters, ligatures, no-break spaces), one space between words; line breaks kept in a body. */
function normalizeSpace(text: string, keepLines = false): string {
  const folded = COMPATIBILITY.test(text) ? text.normalize('NFKC') : text;
  if (keepLines) return (RUNS_OF_BLANKS.test(folded) ? folded.replace(/[ \t]+/g, ' ') : folded).trim();
  return folded.replace(/\s+/g, ' ').trim();
}

export interface CleanBody {
  readonly text: string;
  /** The place a stripped dateline named ("KABUL"), kept as a named entity of the story. */
  readonly place?: string;
}

/**
 * Removes bylines, datelines, agency credits and feed footers from a summary or article text, and keeps at most
 * `maxChars` of it (cut at a word): the comparison reads only the lede, and the cost stays flat for long articles.
 */
export function cleanBody(raw: string, maxChars = Infinity): CleanBody {
  let text = normalizeSpace(raw.length > maxChars * 1.5 ? raw.slice(0, maxChars * 1.5) : raw, true);
  for (let i = 0; i < 2; i++) {
    const byline = BYLINE_NAME.exec(text) ?? BYLINE_DESK.exec(text);
    if (byline) text = text.slice(byline[0].length).trimStart();
  }
  let place: string | undefined;
  const dated = stripDateline(text);
  if (dated) {
    text = dated.text;
    place = dated.place;
  }
  if (text.length > maxChars) {
    // The footers are past the cut.
    const space = text.lastIndexOf(' ', maxChars);
    text = text.slice(0, space > maxChars / 2 ? space : maxChars);
  } else {
    text = stripTrailers(text);
  }
  if (text.includes('according to') || text.includes('citing') || text.includes('quoting')) text = text.replace(CREDIT, '');
  return place ? { text, place } : { text };
}

/** Footers, read from the last few hundred characters only. */
function stripTrailers(text: string): string {
  const tailStart = Math.max(0, text.length - TAIL_CHARS);
  let head = text.slice(0, tailStart);
  let tail = text.slice(tailStart);
  for (let changed = true; changed; ) {
    changed = false;
    for (const re of TRAILERS) {
      const next = tail.replace(re, '');
      if (next !== tail && (next.length > 0 || head.length > 0)) {
        tail = next.trimEnd();
        changed = true;
      }
    }
  }
  if (tail === '') head = head.trimEnd();
  return head + tail;
}

const TAIL_CHARS = 500;

function stripDateline(text: string): CleanBody | undefined {
  const agency = AGENCY_DATELINE.exec(text);
  if (agency) {
    const place = (agency[1] as string).trim();
    const separated = /[-–—:]/.test(agency[3] as string);
    const dated = agency[2] !== undefined && DATE_PART.test(agency[2]) || DATE_PART.test(place);
    if (isPlaceName(place.replace(/,.*$/, '')) && (separated || dated)) {
      return { text: text.slice(agency[0].length), place: place.replace(/,.*$/, '') };
    }
  }
  const caps = CAPS_DATELINE.exec(text);
  if (caps && /\p{Lu}{2}/u.test(caps[1] as string)) return { text: text.slice(caps[0].length), place: (caps[1] as string).trim() };
  const titled = TITLECASE_DATELINE.exec(text);
  if (titled) return { text: text.slice(titled[0].length), place: (titled[1] as string).trim() };
  const uncased = UNCASED_DATELINE.exec(text);
  if (uncased) return { text: text.slice(uncased[0].length) };
  return undefined;
}

/** A dateline's place: one to five capitalised words ("PESHAWAR", "New Delhi", "WASHINGTON/ISLAMABAD"), or uncased script. */
function isPlaceName(text: string): boolean {
  const words = text.trim().split(/\s+/);
  if (words.length > 5 || words.length === 0) return false;
  if (/^(?:the|a|an|this|his|her|its|their)$/i.test(words[0] as string)) return false;
  return words.every((w) => /^[\p{Lu}\p{Lo}\p{N}]/u.test(w) || /^(?:of|de|al|el|e)$/.test(w));
}
