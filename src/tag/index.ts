import type { Tagger, TagInput, TagSet, TopicId } from '../core/index.js';
import { buildGazetteer } from './gazetteer.js';
import type { Gazetteer } from './gazetteer.js';
import { TextTagger } from './tagger.js';
import type { TagExplanation } from './tagger.js';
import { buildTopicLexicon } from './topic-lexicon.js';
import type { TopicLexicon } from './topic-lexicon.js';

export type { TagEvidence, TagExplanation, TagExplanationEntry } from './tagger.js';

/** Extra data from `tagging:` in the config. */
export interface TaggerOptions {
  /** Extra names per country code: `{ PK: ["Pakistaan"] }`. */
  readonly aliases?: Record<string, string[]>;
  /** Words and phrases never taken as place evidence. */
  readonly ignore?: string[];
  /** Extra words per topic id (weighted as strong evidence). */
  readonly topicWords?: Record<string, string[]>;
  /** Feed category label → topic id. */
  readonly categoryTopics?: Record<string, TopicId>;
}

/** A tagger that can also say why it chose its tags. */
export type ExplainingTagger = Tagger & {
  /** The tags plus, for each country and topic chosen (and near-misses), the words that produced it and their scores. */
  explain(input: TagInput): TagExplanation;
};

// Compiling the gazetteer and lexicon takes tens of milliseconds; taggers with the same options share them.
const compiled = new Map<string, TaggerData>();

/** The compiled gazetteer and topic lexicon (opaque outside `tag/`). */
export interface TaggerData {
  readonly gazetteer: Gazetteer;
  readonly lexicon: TopicLexicon;
  /** Names in the gazetteer and words in the lexicon. */
  readonly size: { readonly places: number; readonly topicWords: number };
}

/** Compiles the gazetteer and topic lexicon afresh (what start-up costs; used by the benchmark). */
export function loadTaggerData(options: TaggerOptions = {}): TaggerData {
  const gazetteer = buildGazetteer({ aliases: options.aliases ?? {}, ignore: options.ignore ?? [] });
  const lexicon = buildTopicLexicon({ topicWords: options.topicWords ?? {}, categoryTopics: options.categoryTopics ?? {} });
  return { gazetteer, lexicon, size: { places: gazetteer.size, topicWords: lexicon.size } };
}

/** Compiles (or reuses) the gazetteer and topic lexicon for these options. */
function compileTaggerData(options: TaggerOptions): TaggerData {
  const key = JSON.stringify([options.aliases ?? {}, options.ignore ?? [], options.topicWords ?? {}, options.categoryTopics ?? {}]);
  let data = compiled.get(key);
  if (!data) {
    data = loadTaggerData(options);
    compiled.set(key, data);
  }
  return data;
}

/**
 * Builds the full-text tagger: countries (ISO 3166-1 alpha-2) from a gazetteer of names, demonyms, capitals, cities,
 * regions and institutions in many languages, and IPTC topics from weighted lexicons and the feed's categories.
 * Pure and synchronous; safe to build once per worker thread. `data` (from `loadTaggerData`) skips the shared cache.
 */
export function createTagger(options: TaggerOptions = {}, data?: TaggerData): ExplainingTagger {
  const { gazetteer, lexicon } = data ?? compileTaggerData(options);
  const tagger = new TextTagger(gazetteer, lexicon);
  return {
    tag: (input: TagInput): TagSet => tagger.tag(input),
    explain: (input: TagInput): TagExplanation => tagger.explain(input).explanation,
  };
}
