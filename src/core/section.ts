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
