import type { CountryCode } from './countries.js';
import type { TopicId } from './topics.js';

export type SectionKind = 'all' | 'country' | 'topic' | 'region' | 'custom';

/**
 * Which story clusters belong to a section. An empty list means "no condition on that axis".
 * A cluster matches when it has any of `countries` (if given) AND any of `topics` (if given).
 */
export interface SectionFilter {
  readonly countries: readonly CountryCode[];
  readonly topics: readonly TopicId[];
}

/** A published section: a folder under `output.dir` with feed.xml, atom.xml and feed.json. */
export interface Section {
  readonly kind: SectionKind;
  /** `all`, `af`, `conflict`, `south-asia`, `afpak-security`. */
  readonly id: string;
  /** Folder under output.dir, with no leading or trailing slash: `all`, `country/af`, `topic/sport`. */
  readonly path: string;
  readonly title: string;
  readonly description: string;
  readonly filter: SectionFilter;
}

/** Which tags were touched by a change: the pass turns this into the set of sections to re-render. */
export interface ChangedTags {
  /** True when any cluster was added, changed or removed (the `all` section is dirty). */
  readonly any: boolean;
  readonly countries: readonly CountryCode[];
  readonly topics: readonly TopicId[];
}

