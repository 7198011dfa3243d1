/**
 * The 17 top-level IPTC Media Topics, as the short ids newsmux uses in config, store, URLs and feeds.
 * Order is the IPTC order; titles are what the subscribe page and feed titles show.
 */
export const TOPICS = [
  { id: 'arts-culture', title: 'Arts, culture and entertainment', iptc: '01000000' },
  { id: 'crime', title: 'Crime, law and justice', iptc: '02000000' },
  { id: 'disaster', title: 'Disaster, accidents and emergencies', iptc: '03000000' },
  { id: 'economy', title: 'Economy, business and finance', iptc: '04000000' },
  { id: 'education', title: 'Education', iptc: '05000000' },
  { id: 'environment', title: 'Environment', iptc: '06000000' },
  { id: 'health', title: 'Health', iptc: '07000000' },
  { id: 'human-interest', title: 'Human interest', iptc: '08000000' },
  { id: 'labour', title: 'Labour', iptc: '09000000' },
  { id: 'lifestyle', title: 'Lifestyle and leisure', iptc: '10000000' },
  { id: 'politics', title: 'Politics', iptc: '11000000' },
  { id: 'religion', title: 'Religion', iptc: '12000000' },
  { id: 'science-technology', title: 'Science and technology', iptc: '13000000' },
  { id: 'society', title: 'Society', iptc: '14000000' },
  { id: 'sport', title: 'Sport', iptc: '15000000' },
  { id: 'conflict', title: 'Conflict, war and peace', iptc: '16000000' },
  { id: 'weather', title: 'Weather', iptc: '17000000' },
] as const;

export type TopicId = (typeof TOPICS)[number]['id'];

export const TOPIC_IDS: readonly TopicId[] = TOPICS.map((t) => t.id);

const topicIdSet: ReadonlySet<string> = new Set(TOPIC_IDS);

export function isTopicId(value: string): value is TopicId {
  return topicIdSet.has(value);
}

export function topicTitle(id: TopicId): string {
  return TOPICS.find((t) => t.id === id)?.title ?? id;
}
