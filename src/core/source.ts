import type { CountryCode } from './countries.js';

/** A configured feed. */
export interface Source {
  /** Stable id from config (kebab-case); used in logs, item ids and `newsmux sources`. */
  readonly id: string;
  readonly url: string;
  readonly name: string;
  /** Home country of the outlet: a tagging hint, never a tag on its own when the text names a place. */
  readonly country?: CountryCode;
  /** BCP 47 language of the feed when known from config ("ur", "fa"). */
  readonly language?: string;
  /** Higher wins when choosing a story cluster's representative. Default 0. */
  readonly priority: number;
}

/** How a source's items are identified; decided per feed (see DESIGN.md "Identity"). */
export type ItemKeyMode = 'guid' | 'link' | 'link-title';

/** What the store remembers about a source between passes. Times are UTC milliseconds. */
export interface SourceState {
  readonly sourceId: string;
  /** Where to fetch next time: the configured URL, or where a permanent redirect pointed. */
  readonly url: string;
  readonly etag?: string;
  readonly lastModified?: string;
  /** `ok`, `not-modified`, `failed` or `gone` for the last attempt. */
  readonly lastOutcome?: FetchOutcome;
  readonly lastStatus?: number;
  readonly lastError?: string;
  readonly lastAttemptAt?: number;
  readonly lastSuccessAt?: number;
  readonly consecutiveFailures: number;
  readonly nextDueAt: number;
  readonly itemKeyMode?: ItemKeyMode;
  readonly feedTitle?: string;
  /** Items currently stored for this source. */
  readonly itemCount?: number;
}

export type FetchOutcome = 'ok' | 'not-modified' | 'failed' | 'gone';

/** The fields a pass writes back after fetching a source. */
export interface SourceStateUpdate {
  readonly url?: string;
  readonly etag?: string | null;
  readonly lastModified?: string | null;
  readonly lastOutcome: FetchOutcome;
  readonly lastStatus?: number;
  readonly lastError?: string | null;
  readonly lastAttemptAt: number;
  readonly lastSuccessAt?: number;
  readonly consecutiveFailures: number;
  readonly nextDueAt: number;
  readonly itemKeyMode?: ItemKeyMode;
  readonly feedTitle?: string;
}
