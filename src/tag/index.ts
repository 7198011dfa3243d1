import type { Tagger, TagInput, TopicId } from '../core/index.js';

/** Extra data from `tagging:` in the config. */
export interface TaggerOptions {
  /** Extra names per country code: `{ PK: ["Pakistaan"] }`. */
  readonly aliases?: Record<string, string[]>;
  /** Words never taken as place evidence. */
  readonly ignore?: string[];
  /** Extra words per topic id. */
  readonly topicWords?: Record<string, string[]>;
  /** Feed category label → topic id. */
  readonly categoryTopics?: Record<string, TopicId>;
}

/** One piece of evidence behind a tag. */
export interface TagEvidence {
  readonly text: string;
  readonly score: number;
}

/** Why a country or topic was (or nearly was) chosen. */
export interface TagExplanationEntry {
  readonly id: string;
  readonly score: number;
  readonly chosen: boolean;
  readonly evidence: readonly TagEvidence[];
}

/** The scores and words behind a TagSet. */
export interface TagExplanation {
  readonly countries: readonly TagExplanationEntry[];
  readonly topics: readonly TagExplanationEntry[];
}

/** Builds a tagger (placeholder until the gazetteer lands). */
export function createTagger(_options: TaggerOptions = {}): Tagger & { explain(input: TagInput): TagExplanation } {
  return {
    tag: () => ({ countries: [], topics: [] }),
    explain: () => ({ countries: [], topics: [] }),
  };
}
