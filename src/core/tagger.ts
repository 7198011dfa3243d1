import type { CountryCode } from './countries.js';
import type { TagSet } from './item.js';

/** What a tagger reads of an item. Text fields are plain text (already extracted by `normalize/`). */
export interface TagInput {
  readonly title: string;
  readonly summary?: string;
  readonly content?: string;
  readonly link?: string;
  readonly categories?: readonly string[];
  /** The source's configured home country. */
  readonly sourceCountry?: CountryCode;
  readonly language?: string;
}

/** Decides an item's countries and topics. Pure and synchronous, so it can run in a worker thread. */
export interface Tagger {
  tag(input: TagInput): TagSet;
}
