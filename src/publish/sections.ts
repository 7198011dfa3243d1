import {
  type ChangedTags,
  type CountryCode,
  PublishError,
  type Section,
  type SectionFilter,
  TOPIC_IDS,
  type TopicId,
  countryName,
  isCountryCode,
  isTopicId,
  topicTitle,
} from '../core/index.js';

/** What the sections are planned from: config, and which countries and topics have stories. */
export interface SectionPlanInput {
  readonly regions: Readonly<Record<string, readonly string[]>>;
  readonly custom: readonly {
    readonly id: string;
    readonly title: string;
    readonly description?: string;
    readonly countries: readonly string[];
    readonly topics: readonly string[];
  }[];
  /** Countries that have stories. */
  readonly countries: Iterable<string>;
  /** Topics that have stories. */
  readonly topics: Iterable<TopicId>;
}

// Ids become folder names: config validation guarantees this shape, and we refuse anything else rather than write
// outside output.dir.
const SAFE_ID = /^[a-z0-9][a-z0-9-]{0,63}$/;

const UPPER_WORDS = new Set(['eu', 'un', 'us', 'uk', 'uae', 'mena', 'asean', 'gcc', 'saarc', 'cis', 'drc']);
const LOWER_WORDS = new Set(['and', 'of', 'the', 'in', 'de']);

/** "south-asia" → "South Asia", "middle-east-and-north-africa" → "Middle East and North Africa". */
export function regionTitle(id: string): string {
  return id
    .split('-')
    .filter((w) => w !== '')
    .map((w, i) => {
      if (UPPER_WORDS.has(w)) return w.toUpperCase();
      if (i > 0 && LOWER_WORDS.has(w)) return w;
      return w.charAt(0).toUpperCase() + w.slice(1);
    })
    .join(' ');
}

function listNames(names: readonly string[]): string {
  if (names.length <= 1) return names.join('');
  return `${names.slice(0, -1).join(', ')} and ${names.at(-1)}`;
}

function checkId(kind: string, id: string): void {
  if (!SAFE_ID.test(id)) {
    throw new PublishError(`publish: ${kind} id "${id}" is not a safe folder name (lower-case letters, digits, "-")`, {
      section: `${kind}/${id}`,
    });
  }
}

/**
 * Every section to publish, in index order: `all`, regions (config order), countries (by code), topics (IPTC order),
 * custom sections (config order). Countries and topics come only from the tags that have stories. A region or
 * custom section is planned when its filter could match those tags; the caller drops sections whose stats show
 * no stories.
 */
export function planSections(input: SectionPlanInput): Section[] {
  const countries = new Set<CountryCode>();
  for (const c of input.countries) {
    const code = c.toUpperCase();
    if (isCountryCode(code)) countries.add(code);
  }
  const topics = new Set<TopicId>();
  for (const t of input.topics) if (isTopicId(t)) topics.add(t);

  const sections: Section[] = [
    {
      kind: 'all',
      id: 'all',
      path: 'all',
      title: 'All stories',
      description: 'Every story from every source, newest first',
      filter: { countries: [], topics: [] },
    },
  ];

  for (const [id, members] of Object.entries(input.regions)) {
    checkId('region', id);
    const codes = [...new Set(members.map((c) => c.toUpperCase()).filter(isCountryCode))];
    if (!codes.some((c) => countries.has(c))) continue;
    sections.push({
      kind: 'region',
      id,
      path: `region/${id}`,
      title: regionTitle(id),
      description: `Stories about ${listNames(codes.map(countryName))}`,
      filter: { countries: codes, topics: [] },
    });
  }

  for (const code of [...countries].sort()) {
    const id = code.toLowerCase();
    sections.push({
      kind: 'country',
      id,
      path: `country/${id}`,
      title: countryName(code),
      description: `Stories about ${countryName(code)}`,
      filter: { countries: [code], topics: [] },
    });
  }

  for (const topic of TOPIC_IDS) {
    if (!topics.has(topic)) continue;
    sections.push({
      kind: 'topic',
      id: topic,
      path: `topic/${topic}`,
      title: topicTitle(topic),
      description: `Stories about ${topicTitle(topic).toLowerCase()}`,
      filter: { countries: [], topics: [topic] },
    });
  }

  for (const custom of input.custom) {
    checkId('section', custom.id);
    const codes = [...new Set(custom.countries.map((c) => c.toUpperCase()).filter(isCountryCode))];
    const ids = [...new Set(custom.topics.filter(isTopicId))];
    if (codes.length > 0 && !codes.some((c) => countries.has(c))) continue;
    if (ids.length > 0 && !ids.some((t) => topics.has(t))) continue;
    if (codes.length === 0 && ids.length === 0) continue;
    const about = [codes.length > 0 ? listNames(codes.map(countryName)) : '', ids.length > 0 ? listNames(ids.map(topicTitle)) : '']
      .filter((s) => s !== '')
      .join(' — ');
    sections.push({
      kind: 'custom',
      id: custom.id,
      path: `section/${custom.id}`,
      title: custom.title,
      description: custom.description ?? `Stories about ${about}`,
      filter: { countries: codes, topics: ids },
    });
  }
  return sections;
}

function overlaps<T>(wanted: readonly T[], changed: ReadonlySet<T>): boolean {
  return wanted.length === 0 || wanted.some((x) => changed.has(x));
}

function filterTouched(filter: SectionFilter, countries: ReadonlySet<string>, topics: ReadonlySet<string>): boolean {
  return overlaps(filter.countries, countries) && overlaps(filter.topics, topics);
}

/**
 * The sections a change may have touched, conservatively: `all` whenever anything changed; any other section whose
 * filter could match a changed story. `changed` is a union over stories (old and new tags), so a custom section
 * (countries AND topics) is included when both axes overlap, even if no single story had both.
 */
export function sectionsAffected(sections: readonly Section[], changed: ChangedTags): Section[] {
  const countries = new Set(changed.countries.map((c) => c.toUpperCase()));
  const topics = new Set<string>(changed.topics);
  const any = changed.any || countries.size > 0 || topics.size > 0;
  if (!any) return [];
  return sections.filter((s) => {
    if (s.kind === 'all') return true;
    if (s.filter.countries.length === 0 && s.filter.topics.length === 0) return true;
    return filterTouched(s.filter, countries, topics);
  });
}

/** The anchor of a section on the subscribe page: `country-af`, `all`. */
export function sectionAnchor(section: Pick<Section, 'path'>): string {
  return section.path.replace(/\//g, '-');
}

/** Whether a string is the path of a section folder this stage may have written. */
export function isSectionPath(path: string): boolean {
  return /^(all|country\/[a-z]{2}|topic\/[a-z][a-z-]*|region\/[a-z0-9][a-z0-9-]*|section\/[a-z0-9][a-z0-9-]*)$/.test(path);
}
