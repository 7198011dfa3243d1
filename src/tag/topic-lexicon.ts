import type { TopicId } from '../core/index.js';
import { isTopicId } from '../core/index.js';
import { ruStem } from './affixes.js';
import type { CaseRule } from './gazetteer.js';
import { stemWord } from './stem.js';
import { foldText, Script, TokenBuffer, tokenize, normalizeKey } from './tokenize.js';
import topicsData from './data/topics.json' with { type: 'json' };

/** One lexicon word or phrase and the topics it speaks for. */
export interface TopicEntry {
  readonly label: string;
  readonly weights: { topic: TopicId; weight: number }[];
  readonly caseRule: readonly CaseRule[];
}

export interface TopicNode {
  next: Map<string, TopicNode> | undefined;
  entry: TopicEntry | undefined;
}

/** The compiled topic lexicon and the category-label map. */
export interface TopicLexicon {
  readonly root: Map<string, TopicNode>;
  readonly cjkRoot: Map<string, TopicNode>;
  /** Normalized category label → topic; null for generic labels. */
  readonly categories: ReadonlyMap<string, TopicId | null>;
  readonly size: number;
}

/**
 * The surface forms a lexicon word stands for: the word, its stem, and their plural, -ed and -ing forms ("flood" →
 * floods, flooded, flooding; "policy" → policies; "trade" → trading, traded; "stop" → stopped). Expanding at compile
 * time means the tagger looks each token up as it is, with no stemming per token.
 */
export function inflections(word: string): string[] {
  const out = new Set<string>([word]);
  if (!/^[a-z]+$/.test(word) || word.length <= 2) return [...out];
  const bases = new Set([word, stemWord(word)]);
  for (const base of bases) {
    out.add(base);
    if (base.length < 3) continue;
    const last = base[base.length - 1]!;
    const consonantY = base.endsWith('y') && !'aeiou'.includes(base[base.length - 2]!);
    if (consonantY) {
      out.add(`${base.slice(0, -1)}ies`);
      out.add(`${base.slice(0, -1)}ied`);
    } else if (/(s|x|z|ch|sh)$/.test(base)) {
      out.add(`${base}es`);
    } else {
      out.add(`${base}s`);
    }
    if (last === 'e') {
      out.add(`${base}d`);
      out.add(`${base.slice(0, -1)}ing`);
    } else {
      out.add(`${base}ed`);
      out.add(`${base}ing`);
      // stop → stopped, plan → planned: a short word ending consonant-vowel-consonant doubles its last letter.
      if (/[^aeiou][aeiou][bdgklmnprt]$/.test(base) && base.length <= 5) {
        out.add(`${base}${last}ed`);
        out.add(`${base}${last}ing`);
      }
    }
  }
  return [...out];
}

/** The key a token is looked up under in the topic lexicon. */
export function topicKey(lower: string, script: Script): string {
  return script === Script.Cyrillic ? ruStem(lower) : lower;
}

export interface TopicLexiconOptions {
  readonly topicWords?: Record<string, readonly string[]>;
  readonly categoryTopics?: Record<string, string>;
}

/** Compiles the topic lexicon (data/topics.json plus the config's extra words and category mappings). */
export function buildTopicLexicon(options: TopicLexiconOptions = {}): TopicLexicon {
  const root = new Map<string, TopicNode>();
  const cjkRoot = new Map<string, TopicNode>();
  const buf = new TokenBuffer();
  let size = 0;

  const add = (phrase: string, topic: TopicId, weight: number): void => {
    tokenize(foldText(phrase), buf);
    let path: string[];
    let level: Map<string, TopicNode>;
    const caseRule: CaseRule[] = [];
    if (buf.length === 0 && buf.cjk.length === 1) {
      path = [...buf.cjk[0]!];
      level = cjkRoot;
      caseRule.push(0);
    } else if (buf.length > 0 && buf.cjk.length === 0) {
      path = [];
      for (let i = 0; i < buf.length; i++) {
        path.push(topicKey(buf.lowerAt(i), buf.script[i]!));
        const s = buf.surface(i);
        // Acronyms (WHO, AIDS, IMF) only count in capitals; other words in any case.
        caseRule.push(s.length >= 2 && s === s.toUpperCase() && s !== s.toLowerCase() && !/\d/.test(s) ? 2 : 0);
      }
      level = root;
    } else {
      return;
    }
    // The last word of a phrase inflects ("interest rates", "drone strikes"); the others are taken as written.
    const lastForms = level === root && buf.script[buf.length - 1] === Script.Latin ? inflections(path[path.length - 1]!) : [path[path.length - 1]!];
    for (const form of lastForms) {
      let at = level;
      let node: TopicNode | undefined;
      for (let k = 0; k < path.length; k++) {
        const part = k === path.length - 1 ? form : path[k]!;
        node = at.get(part);
        if (!node) {
          node = { next: undefined, entry: undefined };
          at.set(part, node);
        }
        at = node.next ??= new Map();
      }
      if (!node) continue;
      if (!node.entry) {
        node.entry = { label: phrase, weights: [], caseRule };
        size++;
      }
      const existing = node.entry.weights.find((w) => w.topic === topic);
      if (existing) existing.weight = Math.max(existing.weight, weight);
      else node.entry.weights.push({ topic, weight });
    }
  };

  const data = topicsData as { topics: Record<string, Record<string, string[]>>; categories: { map: Record<string, string>; generic: string[] } };
  for (const [topic, levels] of Object.entries(data.topics)) {
    if (!isTopicId(topic)) continue;
    for (const [weight, words] of Object.entries(levels)) for (const word of words) add(word, topic, Number(weight));
  }
  for (const [topic, words] of Object.entries(options.topicWords ?? {})) {
    if (!isTopicId(topic)) continue;
    for (const word of words) add(word, topic, 3);
  }
  pruneEmpty(root);
  pruneEmpty(cjkRoot);

  const categories = new Map<string, TopicId | null>();
  for (const label of data.categories.generic) categories.set(normalizeKey(label), null);
  for (const [label, topic] of Object.entries(data.categories.map)) if (isTopicId(topic)) categories.set(normalizeKey(label), topic);
  for (const [label, topic] of Object.entries(options.categoryTopics ?? {})) if (isTopicId(topic)) categories.set(normalizeKey(label), topic);
  return { root, cjkRoot, categories, size };
}

function pruneEmpty(level: Map<string, TopicNode>): void {
  for (const node of level.values()) {
    if (node.next) {
      if (node.next.size === 0) node.next = undefined; // not `delete` (dictionary-mode objects are slow)
      else pruneEmpty(node.next);
    }
  }
}
