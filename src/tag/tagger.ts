import type { CountryCode, TagInput, TagSet, TopicId } from '../core/index.js';
import { affixVariants } from './affixes.js';
import type { AmbiguityRule, Gazetteer, PlaceEntry, TrieNode } from './gazetteer.js';
import { tokenKey } from './gazetteer.js';
import type { TopicEntry, TopicLexicon, TopicNode } from './topic-lexicon.js';
import { WordIndex } from './word-index.js';
import { ADJACENT, ALL_UPPER, CAPITALIZED, foldText, HYPHENATED, normalizeKey, Script, SENTENCE_START, TokenBuffer, tokenize } from './tokenize.js';

/** One piece of evidence behind a tag: the words as written, where they were, and what they added. */
export interface TagEvidence {
  readonly text: string;
  readonly field: Field;
  readonly score: number;
  /** How an ambiguous name was settled, or why a mention was dropped. */
  readonly note?: string;
}

/** A country or topic with its score; `chosen` false marks a near-miss. */
export interface TagExplanationEntry {
  readonly id: string;
  readonly score: number;
  readonly chosen: boolean;
  readonly evidence: readonly TagEvidence[];
}

/** The scores and words behind a TagSet. */
export interface TagExplanation {
  /** The tags chosen (the same as `tag()` returns). */
  readonly tags: TagSet;
  readonly countries: readonly TagExplanationEntry[];
  readonly topics: readonly TagExplanationEntry[];
  /** Mentions that were recognised but did not count (a person named Jordan, "Indian Ocean", …). */
  readonly dropped: readonly TagEvidence[];
}

export type Field = 'title' | 'summary' | 'content' | 'category';

/** Salience weights: a title mention counts three times a body mention; body mentions fade with distance. */
const FIELD_FACTOR: Record<Field, number> = { title: 3, summary: 1.6, content: 1, category: 2 };
const TOPIC_FIELD_FACTOR: Record<Field, number> = { title: 2.5, summary: 1.5, content: 1, category: 2 };
const CATEGORY_TOPIC_SCORE = 5;

/**
 * Summary and content are each read up to about this many characters: the lede, where a news story names its places
 * and its subject. Later mentions already count for less (`positionFactor`), and the bound keeps the cost of an item
 * the same however long the article (bodies of 20 KB are common in content:encoded, and many feeds put the whole
 * article in the description).
 */
const CONTENT_CHARS = 1000;

/** The start of a body, cut at a word boundary. */
function lede(content: string | undefined): string | undefined {
  if (content === undefined || content.length <= CONTENT_CHARS) return content;
  const cut = content.lastIndexOf(' ', CONTENT_CHARS);
  return content.slice(0, cut > CONTENT_CHARS / 2 ? cut : CONTENT_CHARS);
}

function positionFactor(field: Field, tokenIndex: number): number {
  if (field !== 'content') return 1;
  if (tokenIndex < 100) return 1;
  if (tokenIndex < 250) return 0.7;
  return 0.45;
}

/** Selection thresholds. */
const COUNTRY_MIN = 2;
const COUNTRY_RATIO = 0.3;
const MAX_COUNTRIES = 3;
const TOPIC_MIN = 4;
const TOPIC_RATIO = 0.45;
const MAX_TOPICS = 3;

// Capitalized words after an ambiguous given name that do not make it a person's name ("Jordan Police", "Chad Army").
const NOT_SURNAME = new Set(
  (
    'police army government govt president prime minister ministry foreign national football cricket team valley airways airlines ' +
    'embassy border coast guard navy air central bank parliament senate house state court supreme election electoral health defence ' +
    'defense interior finance home cabinet opposition authorities officials forces military troops rebels junta federal governor ' +
    'province region city university airport crisis talks deal war peace says said on in at to for with and or the a of as after ' +
    'over from by news times post herald tribune today tv radio government’s king queen royal embassy red cross crescent refugees ' +
    'capital county counties tech bulldogs braves hawks'
  ).split(' '),
);

const DIMINISHERS = new Set(['origin', 'born', 'based', 'descent', 'heritage', 'ancestry', 'trained', 'educated', 'registered', 'flagged']);

interface Mention {
  entry: PlaceEntry;
  field: Field;
  start: number; // token index
  end: number; // exclusive
  weight: number;
  /** The words as written: a CJK run slice, or read lazily from the field's tokens (only explain needs them). */
  cjkText: string | undefined;
  buf: TokenBuffer | undefined;
  resolved: readonly CountryCode[] | undefined;
  note: string | undefined;
}

interface Slot {
  key: string;
  place: TrieNode | undefined;
  topic: TopicNode | undefined;
  /** A cue word of some ambiguity rule starts here. */
  cue: boolean;
}

const mentionText = (m: Mention): string => m.cjkText ?? m.buf?.span(m.start, m.end) ?? '';

class FieldBuf {
  readonly buf = new TokenBuffer();
  /** Lookup keys (the lower-cased word; a stem for Russian), made on demand. */
  private keys: (string | undefined)[] = [];
  /** Trie nodes for the word at each position (undefined: no name / topic word starts here). */
  readonly placeAt: (TrieNode | undefined)[] = [];
  readonly topicAt: (TopicNode | undefined)[] = [];

  constructor(readonly field: Field) {}

  /** Clears the cached keys, writing in order so the array stays packed (a sparse array would be slow). */
  reset(): void {
    const n = this.buf.length;
    for (let i = 0; i < n; i++) this.keys[i] = undefined;
  }

  key(i: number): string {
    let k = this.keys[i];
    if (k === undefined) {
      const lower = this.buf.lowerAt(i);
      k = this.buf.script[i] === Script.Cyrillic ? tokenKey(lower, Script.Cyrillic) : lower;
      this.keys[i] = k;
    }
    return k;
  }
}

/** The compiled tagger: pure (no I/O, no shared mutable state between calls beyond reusable buffers) and synchronous. */
export class TextTagger {
  private readonly title = new FieldBuf('title');
  private readonly summary = new FieldBuf('summary');
  private readonly content = new FieldBuf('content');
  private readonly categoryBufs: FieldBuf[] = [];
  private active: FieldBuf[] = [];

  /** First-word index shared by places and topics: one hash lookup per token finds both. */
  private readonly firstWord = new Map<string, Slot>();
  /** Bit 1: a place name starts with this CJK character; bit 2: a topic word does. */
  private readonly cjkFirst = new Uint8Array(65536);
  /** Words of affixing scripts already resolved through their affixes (bounded). */
  private readonly affixCache = new Map<string, Slot | null>();
  /** `firstWord` as an open-addressing table probed by the tokenizer's hash (see `load`). */
  private readonly wordIndex: WordIndex<Slot>;
  private readonly candEntries: PlaceEntry[][] = [];
  private readonly candEnd: number[] = [];
  /** Cue words seen in the current item. */
  private readonly cuesSeen = new Set<string>();
  private readonly categoryKeys = new Map<string, string>();

  constructor(
    private readonly gazetteer: Gazetteer,
    private readonly lexicon: TopicLexicon,
  ) {
    const slotOf = (key: string): Slot => {
      let slot = this.firstWord.get(key);
      if (!slot) {
        slot = { key, place: undefined, topic: undefined, cue: false };
        this.firstWord.set(key, slot);
      }
      return slot;
    };
    for (const [key, node] of gazetteer.root) slotOf(key).place = node;
    for (const [key, node] of lexicon.root) slotOf(key).topic = node;
    for (const cue of gazetteer.cueWords) slotOf(cue).cue = true;
    this.wordIndex = new WordIndex(this.firstWord);
    for (const ch of gazetteer.cjkRoot.keys()) this.cjkFirst[ch.charCodeAt(0)]! |= 1;
    for (const ch of lexicon.cjkRoot.keys()) this.cjkFirst[ch.charCodeAt(0)]! |= 2;
  }

  /** A feed category label's lookup key; a feed repeats its few labels on every item, so they are cached (bounded). */
  private categoryKey(label: string): string {
    let key = this.categoryKeys.get(label);
    if (key === undefined) {
      if (this.categoryKeys.size >= 10_000) this.categoryKeys.clear();
      this.categoryKeys.set(label, (key = normalizeKey(label)));
    }
    return key;
  }

  /** The slot of a word of an affixing script that is not itself a name: through its affixes, cached. */
  private affixSlot(key: string, script: Script): Slot | undefined {
    const cached = this.affixCache.get(key);
    if (cached !== undefined) return cached ?? undefined;
    let place: TrieNode | undefined;
    let topic: TopicNode | undefined;
    for (const v of affixVariants(key, script)) {
      const slot = this.firstWord.get(v);
      if (!slot) continue;
      place ??= slot.place;
      topic ??= slot.topic;
      if (place && topic) break;
    }
    const slot: Slot | null = place || topic ? { key, place, topic, cue: false } : null;
    if (this.affixCache.size >= 50_000) this.affixCache.clear();
    this.affixCache.set(key, slot);
    return slot ?? undefined;
  }

  tag(input: TagInput): TagSet {
    const r = this.run(input, false);
    return { countries: r.countries, topics: r.topics };
  }

  explain(input: TagInput): TagSet & { explanation: TagExplanation } {
    return this.run(input, true);
  }

  private run(input: TagInput, explain: boolean): TagSet & { explanation: TagExplanation } {
    this.load(input);
    const language = input.language?.toLowerCase().split(/[-_]/)[0];
    const mentions: Mention[] = [];
    const dropped: TagEvidence[] = [];
    const topicScores = new Map<TopicId, number>();
    const topicEvidence = explain ? new Map<TopicId, TagEvidence[]>() : undefined;

    for (const fb of this.active) {
      this.findPlaces(fb, language, mentions, explain ? dropped : undefined);
      this.findTopics(fb, topicScores, topicEvidence);
    }
    for (const label of input.categories ?? []) {
      const topic = this.lexicon.categories.get(this.categoryKey(label));
      if (topic) {
        topicScores.set(topic, (topicScores.get(topic) ?? 0) + CATEGORY_TOPIC_SCORE);
        topicEvidence?.get(topic)?.push({ text: label, field: 'category', score: CATEGORY_TOPIC_SCORE, note: 'feed category' }) ??
          topicEvidence?.set(topic, [{ text: label, field: 'category', score: CATEGORY_TOPIC_SCORE, note: 'feed category' }]);
      }
    }

    const countryScores = this.scoreCountries(mentions, input.sourceCountry, explain ? dropped : undefined);
    let countries = selectCountries(countryScores, input.sourceCountry);
    let filledFromSource = false;
    if (countries.length === 0 && input.sourceCountry && countryScores.size === 0) {
      countries = [input.sourceCountry];
      filledFromSource = true;
    }
    const topics = selectTopics(topicScores);

    let explanation: TagExplanation = { tags: { countries, topics }, countries: [], topics: [], dropped: [] };
    if (explain) {
      const byCountry = new Map<string, TagEvidence[]>();
      for (const m of mentions) {
        for (const code of m.resolved ?? []) {
          const list = byCountry.get(code) ?? [];
          list.push({ text: mentionText(m), field: m.field, score: round(m.weight), ...(m.note ? { note: m.note } : {}) });
          byCountry.set(code, list);
        }
      }
      const countryEntries: TagExplanationEntry[] = [...countryScores]
        .sort((a, b) => b[1] - a[1])
        .map(([id, score]) => ({ id, score: round(score), chosen: countries.includes(id), evidence: byCountry.get(id) ?? [] }));
      if (filledFromSource) countryEntries.push({ id: input.sourceCountry!, score: 0, chosen: true, evidence: [{ text: 'source country', field: 'category', score: 0, note: 'the text names no place' }] });
      const topicEntries: TagExplanationEntry[] = [...topicScores]
        .sort((a, b) => b[1] - a[1])
        .map(([id, score]) => ({ id, score: round(score), chosen: topics.includes(id), evidence: topicEvidence?.get(id) ?? [] }));
      explanation = { tags: { countries, topics }, countries: countryEntries, topics: topicEntries, dropped };
    }
    return { countries, topics, explanation };
  }

  /** Tokenizes every field once into reusable buffers. */
  private load(input: TagInput): void {
    this.active = [];
    this.cuesSeen.clear();
    const fill = (fb: FieldBuf, text: string | undefined): void => {
      if (!text) return;
      tokenize(foldText(text), fb.buf);
      fb.reset();
      const { hash, script, start, len, lower } = fb.buf;
      const lowerText = fb.buf.lowerText;
      const { placeAt, topicAt } = fb;
      const index = this.wordIndex;
      for (let i = 0; i < fb.buf.length; i++) {
        const sc = script[i]!;
        let slot: Slot | undefined;
        if (sc !== Script.Cyrillic && sc < Script.Arabic) {
          // Looked up in place by hash and characters: no string is made for the many words that start nothing.
          const own = lower[i];
          slot = own === undefined ? index.find(hash[i]!, lowerText, start[i]!, len[i]!) : index.find(hash[i]!, own, 0, own.length);
        } else {
          const key = fb.key(i);
          slot = this.firstWord.get(key);
          if (!slot && sc >= Script.Arabic) slot = this.affixSlot(key, sc);
        }
        if (slot?.cue) this.cuesSeen.add(slot.key);
        placeAt[i] = slot?.place;
        topicAt[i] = slot?.topic;
      }
      this.active.push(fb);
    };
    fill(this.title, input.title);
    fill(this.summary, lede(input.summary));
    fill(this.content, lede(input.content));
    const cats = input.categories ?? [];
    for (let i = 0; i < cats.length; i++) {
      const label = cats[i]!;
      // Generic labels ("News", "World") say nothing; mapped topic labels are handled above.
      if (this.lexicon.categories.has(this.categoryKey(label))) continue;
      let fb = this.categoryBufs[i];
      if (!fb) {
        fb = new FieldBuf('category');
        this.categoryBufs[i] = fb;
      }
      fill(fb, label);
    }
  }

  private findPlaces(fb: FieldBuf, language: string | undefined, out: Mention[], dropped: TagEvidence[] | undefined): void {
    const { buf, field } = fb;
    const n = buf.length;
    let i = 0;
    while (i < n) {
      let node: TrieNode | undefined = fb.placeAt[i];
      if (!node) {
        i++;
        continue;
      }
      // Walk the trie as far as the text goes; remember every point where a name ends (reused arrays: no garbage).
      const candEntries = this.candEntries;
      const candEnd = this.candEnd;
      let count = 0;
      let j = i + 1;
      if (node.entries) {
        candEntries[count] = node.entries;
        candEnd[count++] = j;
      }
      while (node.next && j < n && !(buf.flags[j]! & SENTENCE_START)) {
        const nextNode: TrieNode | undefined = node.next.get(fb.key(j));
        if (!nextNode) break;
        node = nextNode;
        j++;
        if (node.entries) {
          candEntries[count] = node.entries;
          candEnd[count++] = j;
        }
      }
      let entry: PlaceEntry | undefined;
      let end = 0;
      for (let c = count - 1; c >= 0 && !entry; c--) {
        for (const e of candEntries[c]!) {
          if (e.langs && (!language || !e.langs.has(language))) continue;
          if (!caseMatches(e, buf, i, candEnd[c]!)) continue;
          entry = e;
          end = candEnd[c]!;
          break;
        }
      }
      if (!entry) {
        i++;
        continue;
      }
      if (entry.kind === 'ignore') {
        dropped?.push({ text: buf.span(i, end), field, score: 0, note: 'not a place here' });
      } else if (entry.person && this.looksLikePerson(fb, i, end)) {
        dropped?.push({ text: buf.span(i, end), field, score: 0, note: 'a person’s name here' });
      } else {
        let weight = entry.weight * FIELD_FACTOR[field] * positionFactor(field, i);
        // "Indian-origin doctor", "Canada-based gang", "British-born actor": a background, not where the story is.
        if (end < n && DIMINISHERS.has(fb.key(end)) && buf.flags[end]! & (HYPHENATED | ADJACENT)) weight *= 0.2;
        out.push({ entry, field, start: i, end, weight, cjkText: undefined, buf, resolved: undefined, note: undefined });
      }
      i = end;
    }
    // Scripts written without spaces: longest match at each character.
    for (let r = 0; r < buf.cjk.length; r++) {
      const run = buf.cjk[r]!;
      let k = 0;
      while (k < run.length) {
        if (!(this.cjkFirst[run.charCodeAt(k)]! & 1)) {
          k++;
          continue;
        }
        let node = this.gazetteer.cjkRoot.get(run[k]!);
        let bestEnd = -1;
        let bestEntry: PlaceEntry | undefined;
        let m = k + 1;
        while (node) {
          if (node.entries) {
            bestEnd = m;
            bestEntry = node.entries[0];
          }
          if (!node.next || m >= run.length) break;
          node = node.next.get(run[m]!);
          m++;
        }
        if (bestEntry && bestEnd > k) {
          const text = run.slice(k, bestEnd);
          if (bestEntry.kind !== 'ignore') out.push({ entry: bestEntry, field, start: n + r, end: n + r + 1, weight: bestEntry.weight * FIELD_FACTOR[field] * (field === 'content' && r > 3 ? 0.7 : 1), cjkText: text, buf: undefined, resolved: undefined, note: undefined });
          else dropped?.push({ text, field, score: 0, note: 'not a place here' });
          k = bestEnd;
        } else {
          k++;
        }
      }
    }
  }

  /**
   * "Michael Jordan", "Jordan Henderson", "Chad Smith": a given name or surname next to a capitalized word that is not a
   * place or an institution word. In title case, capitals say nothing, so the neighbour must also appear on its own
   * elsewhere in the item (a surname repeated: "Henderson said").
   */
  private looksLikePerson(fb: FieldBuf, start: number, end: number): boolean {
    const { buf } = fb;
    const root = this.gazetteer.root;
    const next = end;
    if (next < buf.length && buf.flags[next]! & ADJACENT && !(buf.flags[next]! & SENTENCE_START)) {
      const flags = buf.flags[next]!;
      const key = fb.key(next);
      if (flags & CAPITALIZED && !NOT_SURNAME.has(key) && !root.has(key) && !/^\d/.test(key)) {
        if (!buf.caseUninformative) return !(flags & ALL_UPPER) || key.length > 4;
        if (this.appearsAlone(key, fb, next)) return true;
      }
    }
    const prev = start - 1;
    if (prev >= 0 && buf.flags[start]! & ADJACENT && !buf.caseUninformative) {
      const flags = buf.flags[prev]!;
      const key = fb.key(prev);
      if (flags & CAPITALIZED && !(flags & ALL_UPPER) && !NOT_SURNAME.has(key) && !root.has(key)) {
        if (!(flags & SENTENCE_START) || this.gazetteer.givenNames.has(key)) return true;
      }
    }
    if (prev >= 0 && buf.flags[start]! & ADJACENT && buf.caseUninformative && this.gazetteer.givenNames.has(fb.key(prev))) {
      return true;
    }
    return false;
  }

  private appearsAlone(key: string, except: FieldBuf, at: number): boolean {
    for (const fb of this.active) {
      for (let i = 0; i < fb.buf.length; i++) {
        if (fb === except && (i === at || i === at - 1)) continue;
        if (fb.buf.flags[i]! & CAPITALIZED && fb.key(i) === key) return true;
      }
    }
    return false;
  }

  private findTopics(fb: FieldBuf, scores: Map<TopicId, number>, evidence: Map<TopicId, TagEvidence[]> | undefined): void {
    const { buf, field } = fb;
    const n = buf.length;
    const factor = TOPIC_FIELD_FACTOR[field];
    const add = (entry: TopicEntry, tokenIndex: number, text: string): void => {
      const f = factor * positionFactor(field, tokenIndex);
      for (const { topic, weight } of entry.weights) {
        const s = weight * f;
        scores.set(topic, (scores.get(topic) ?? 0) + s);
        if (evidence) {
          const list = evidence.get(topic) ?? [];
          list.push({ text, field, score: round(s) });
          evidence.set(topic, list);
        }
      }
    };
    let i = 0;
    while (i < n) {
      let node: TopicNode | undefined = fb.topicAt[i];
      if (!node) {
        i++;
        continue;
      }
      let bestEnd = -1;
      let bestEntry: TopicEntry | undefined;
      let j = i + 1;
      if (node.entry && topicCaseMatches(node.entry, buf, i)) {
        bestEnd = j;
        bestEntry = node.entry;
      }
      while (node.next && j < n && !(buf.flags[j]! & SENTENCE_START)) {
        const nextNode: TopicNode | undefined = node.next.get(fb.key(j));
        if (!nextNode) break;
        node = nextNode;
        j++;
        if (node.entry && topicCaseMatches(node.entry, buf, i)) {
          bestEnd = j;
          bestEntry = node.entry;
        }
      }
      if (bestEntry) {
        add(bestEntry, i, evidence ? buf.span(i, bestEnd) : '');
        i = bestEnd;
      } else {
        i++;
      }
    }
    for (let r = 0; r < buf.cjk.length; r++) {
      const run = buf.cjk[r]!;
      let k = 0;
      while (k < run.length) {
        if (!(this.cjkFirst[run.charCodeAt(k)]! & 2)) {
          k++;
          continue;
        }
        let node = this.lexicon.cjkRoot.get(run[k]!);
        let bestEnd = -1;
        let bestEntry: TopicEntry | undefined;
        let m = k + 1;
        while (node) {
          if (node.entry) {
            bestEnd = m;
            bestEntry = node.entry;
          }
          if (!node.next || m >= run.length) break;
          node = node.next.get(run[m]!);
          m++;
        }
        if (bestEntry) {
          add(bestEntry, 0, run.slice(k, bestEnd));
          k = bestEnd;
        } else {
          k++;
        }
      }
    }
  }

  /** Sums the evidence per country, settling ambiguous names by context, cues, the source's country and defaults. */
  private scoreCountries(mentions: Mention[], sourceCountry: CountryCode | undefined, dropped: TagEvidence[] | undefined): Map<CountryCode, number> {
    const scores = new Map<CountryCode, number>();
    const context = new Map<CountryCode, number>();
    const pending: Mention[] = [];
    for (const m of mentions) {
      const rule = m.entry.rule;
      if (!rule || rule.multi) {
        m.resolved = m.entry.codes;
        for (const code of m.entry.codes) context.set(code, (context.get(code) ?? 0) + m.weight);
      } else {
        pending.push(m);
      }
    }
    for (const m of pending) {
      const rule = m.entry.rule!;
      const code = resolveAmbiguous(rule, context, (cue) => this.hasCue(cue, this.cuesSeen), sourceCountry);
      if (code) {
        m.resolved = [code];
        m.note = `ambiguous (${rule.countries.join('/')}): ${code}`;
      } else {
        m.resolved = [];
        dropped?.push({ text: mentionText(m), field: m.field, score: 0, note: `ambiguous (${rule.countries.join('/')}): no supporting evidence` });
      }
    }
    for (const m of mentions) {
      for (const code of m.resolved ?? []) scores.set(code, (scores.get(code) ?? 0) + m.weight);
    }
    return scores;
  }

  /** Whether the item contains a cue (a token key, or several in a row). */
  private hasCue(cue: string, words: Set<string>): boolean {
    const space = cue.indexOf(' ');
    if (space < 0) return words.has(cue);
    if (!words.has(cue.slice(0, space))) return false;
    const parts = cue.split(' ');
    for (const fb of this.active) {
      const { buf } = fb;
      for (let i = 0; i + parts.length <= buf.length; i++) {
        let k = 0;
        while (k < parts.length && fb.key(i + k) === parts[k]) k++;
        if (k === parts.length) return true;
      }
    }
    return false;
  }

}

function resolveAmbiguous(rule: AmbiguityRule, context: Map<CountryCode, number>, hasCue: (cue: string) => boolean, sourceCountry: CountryCode | undefined): CountryCode | null {
  const cueScore = new Map<string, number>();
  for (const [cue, target] of rule.cues) if (hasCue(cue)) cueScore.set(target, (cueScore.get(target) ?? 0) + 3);
  let best: CountryCode | null = null;
  let bestScore = 0;
  for (const code of rule.countries) {
    const s = (context.get(code) ?? 0) + (cueScore.get(code) ?? 0);
    if (s > bestScore || (s === bestScore && s > 0 && code === sourceCountry)) {
      best = code;
      bestScore = s;
    }
  }
  const none = cueScore.get('none') ?? 0;
  if (none > 0 && none >= bestScore) return null;
  if (best) return best;
  if (sourceCountry && rule.countries.includes(sourceCountry)) return sourceCountry;
  return rule.default;
}

function caseMatches(entry: PlaceEntry, buf: TokenBuffer, start: number, end: number): boolean {
  const rule = entry.caseRule;
  for (let k = 0; k < end - start; k++) {
    const need = rule[k] ?? 0;
    if (need === 0) continue;
    const flags = buf.flags[start + k]!;
    if (need === 2) {
      if (!(flags & ALL_UPPER) && !(buf.len[start + k] === 1 && flags & CAPITALIZED)) return false;
    } else if (!buf.caseUninformative) {
      if (!(flags & CAPITALIZED)) return false;
      // "SWAT" in ordinary text is an acronym, not Swat.
      if (flags & ALL_UPPER && buf.len[start + k]! >= 3) return false;
    }
  }
  return true;
}

function topicCaseMatches(entry: TopicEntry, buf: TokenBuffer, start: number): boolean {
  const rule = entry.caseRule;
  for (let k = 0; k < rule.length; k++) {
    if (rule[k] === 2 && !(buf.flags[start + k]! & ALL_UPPER)) return false;
  }
  return true;
}

function selectCountries(scores: Map<CountryCode, number>, sourceCountry: CountryCode | undefined): CountryCode[] {
  if (scores.size === 0) return [];
  // The source's country breaks ties only.
  const ranked = [...scores].sort((a, b) => b[1] - a[1] || (a[0] === sourceCountry ? -1 : b[0] === sourceCountry ? 1 : 0));
  const top = ranked[0]![1];
  const floor = Math.max(COUNTRY_MIN, top * COUNTRY_RATIO);
  return ranked
    .filter(([, s]) => s >= floor)
    .slice(0, MAX_COUNTRIES)
    .map(([c]) => c);
}

function selectTopics(scores: Map<TopicId, number>): TopicId[] {
  if (scores.size === 0) return [];
  const ranked = [...scores].sort((a, b) => b[1] - a[1]);
  const top = ranked[0]![1];
  if (top < TOPIC_MIN) return [];
  const floor = Math.max(TOPIC_MIN, top * TOPIC_RATIO);
  return ranked
    .filter(([, s]) => s >= floor)
    .slice(0, MAX_TOPICS)
    .map(([t]) => t);
}

const round = (n: number): number => Math.round(n * 100) / 100;
