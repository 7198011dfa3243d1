import type { Section, SectionSummary } from '../core/index.js';
import { TOPIC_IDS } from '../core/index.js';

/** A section and what the subscribe page and OPML say about it. */
export interface SectionEntry {
  readonly section: Section;
  readonly summary: SectionSummary;
}

/** A heading on the subscribe page and a folder outline in the OPML. */
export interface SectionGroup {
  readonly id: 'all' | 'regions' | 'countries' | 'topics' | 'custom';
  readonly title: string;
  readonly entries: readonly SectionEntry[];
}

/**
 * Groups sections for display, in a fixed order whatever order they came in: everything, regions and custom
 * sections by title, countries by name, topics in IPTC order. Empty groups are left out.
 */
export function groupSections(entries: readonly SectionEntry[]): SectionGroup[] {
  const byTitle = (a: SectionEntry, b: SectionEntry): number =>
    a.section.title.localeCompare(b.section.title, 'en') || compare(a.section.path, b.section.path);
  const of = (kind: Section['kind']): SectionEntry[] => entries.filter((e) => e.section.kind === kind);
  const topicRank = (e: SectionEntry): number => {
    const i = TOPIC_IDS.indexOf(e.section.id as (typeof TOPIC_IDS)[number]);
    return i === -1 ? TOPIC_IDS.length : i;
  };
  const groups: SectionGroup[] = [
    { id: 'all', title: 'Everything', entries: of('all').sort(byTitle) },
    { id: 'regions', title: 'Regions', entries: of('region').sort(byTitle) },
    { id: 'countries', title: 'Countries', entries: of('country').sort(byTitle) },
    { id: 'topics', title: 'Topics', entries: of('topic').sort((a, b) => topicRank(a) - topicRank(b) || byTitle(a, b)) },
    { id: 'custom', title: 'Custom', entries: of('custom').sort(byTitle) },
  ];
  return groups.filter((g) => g.entries.length > 0);
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
