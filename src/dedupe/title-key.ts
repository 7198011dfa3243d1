import { MONTHS, WEEKDAYS } from './stopwords.js';
import { cleanTitle } from './strip-boilerplate.js';

// Headlines that name a recurring slot rather than a story: two of them from one source are not one item.
const GENERIC = new Set(
  [
    'live', 'live updates', 'live update', 'live blog', 'news', 'latest', 'latest news', 'breaking', 'breaking news',
    'top stories', 'top news', 'headlines', 'news headlines', 'news in brief', 'in brief', 'briefs', 'brief',
    'bulletin', 'news bulletin', 'editorial', 'opinion', 'letters', 'letters to the editor', 'cartoon', 'photos',
    'photo', 'pictures', 'video', 'videos', 'today', 'todays paper', 'today s paper', 'e paper', 'epaper', 'weather',
    'weather update', 'untitled', 'no title', 'press release', 'update', 'updates', 'morning briefing',
    'evening briefing', 'daily briefing', 'briefing', 'newsletter', 'podcast', 'world', 'national', 'sport', 'sports',
    'business', 'markets', 'market update', 'stock market today', 'horoscope', 'quiz', 'crossword',
  ],
);
function wordsOf(text: string): string[] {
  return text.toLowerCase().match(/[\p{L}\p{M}\p{N}]+/gu) ?? [];
}

const UNSPACED = /[\p{sc=Han}\p{sc=Hiragana}\p{sc=Katakana}\p{sc=Thai}\p{sc=Lao}\p{sc=Khmer}\p{sc=Myanmar}]/u;

/**
 * The title as compared for "same title from the same source within 48 hours": outlet suffix and kicker removed,
 * lower-cased, punctuation folded. Undefined for headlines that name a slot, not a story ("Live updates", "News",
 * "Headlines, 24 November"), and for very short ones.
 */
export function titleKey(title: string): string | undefined {
  const cleaned = cleanTitle(title);
  const words = wordsOf(cleaned);
  const meaningful = words.filter((w) => !/^\p{N}+$/u.test(w) && !MONTHS.has(w) && !WEEKDAYS.has(w));
  // "Top stories | Dawn": too short for `cleanTitle` to drop the outlet, still a slot.
  const firstSegment = wordsOf(cleaned.split(/\s[|\-–—]\s/)[0] as string).join(' ');
  if (GENERIC.has(meaningful.join(' ')) || GENERIC.has(firstSegment)) return undefined;
  const letters = meaningful.reduce((n, w) => n + w.length, 0);
  if (UNSPACED.test(title) ? letters < 4 : meaningful.length < 2 || letters < 8) return undefined;
  return words.join(' ');
}
