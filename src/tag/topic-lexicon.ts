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
  next?: Map<string, TopicNode>;
  entry?: TopicEntry;
}

/** The compiled topic lexicon and the category-label map. */
export interface TopicLexicon {
  readonly root: Map<string, TopicNode>;
  readonly cjkRoot: Map<string, TopicNode>;
  /** Normalized category label → topic; null for generic labels. */
  readonly categories: ReadonlyMap<string, TopicId | null>;
  readonly size: number;
}

/** The key a token is looked up under in the topic lexicon. */
export function topicKey(lower: string, script: Script): string {
  if (script === Script.Latin) return stemWord(lower);
  if (script === Script.Cyrillic) return ruStem(lower);
  return lower;
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
        path.push(topicKey(buf.lower[i]!, buf.script[i]!));
        const s = buf.surface[i]!;
        // Acronyms (WHO, AIDS, IMF) only count in capitals; other words in any case.
        caseRule.push(s.length >= 2 && s === s.toUpperCase() && s !== s.toLowerCase() && !/\d/.test(s) ? 2 : 0);
      }
      level = root;
    } else {
      return;
    }
    let node: TopicNode | undefined;
    for (const part of path) {
      node = level.get(part);
      if (!node) {
        node = {};
        level.set(part, node);
      }
      level = node.next ??= new Map();
    }
    if (!node) return;
    if (!node.entry) {
      node.entry = { label: phrase, weights: [], caseRule };
      size++;
    }
    const existing = node.entry.weights.find((w) => w.topic === topic);
    if (existing) existing.weight = Math.max(existing.weight, weight);
    else node.entry.weights.push({ topic, weight });
  };

  // "trade" → "trading", "traded": the stemmer keeps the -e, so the lexicon adds the inflected keys of -e words.
  const addWithInflections = (phrase: string, topic: TopicId, weight: number): void => {
    add(phrase, topic, weight);
    if (/^[a-z]+e$/i.test(phrase) && !phrase.endsWith('ee') && phrase.length > 3) {
      add(`${phrase.slice(0, -1)}ing`, topic, weight);
      add(`${phrase}d`, topic, weight);
    }
  };

  const data = topicsData as { topics: Record<string, Record<string, string[]>>; categories: { map: Record<string, string>; generic: string[] } };
  for (const [topic, levels] of Object.entries(data.topics)) {
    if (!isTopicId(topic)) continue;
    for (const [weight, words] of Object.entries(levels)) for (const word of words) addWithInflections(word, topic, Number(weight));
  }
  for (const [topic, words] of Object.entries(options.topicWords ?? {})) {
    if (!isTopicId(topic)) continue;
    for (const word of words) addWithInflections(word, topic, 3);
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
      if (node.next.size === 0) delete node.next;
      else pruneEmpty(node.next);
    }
  }
}
