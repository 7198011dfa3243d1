import { describe, expect, it } from 'vitest';
import type { ChangedTags, Section, TopicId } from '../core/index.js';
import { planSections, sectionsAffected } from './index.js';
import { regionTitle } from './sections.js';

const config = {
  regions: { 'south-asia': ['AF', 'BD', 'BT', 'IN', 'LK', 'MV', 'NP', 'PK'], 'central-asia': ['KZ', 'KG', 'TJ', 'TM', 'UZ'] },
  custom: [
    { id: 'afpak-security', title: 'Af-Pak security', countries: ['AF', 'PK'], topics: ['conflict'] },
    { id: 'health-watch', title: 'Health watch', description: 'Health news anywhere', countries: [], topics: ['health'] },
  ],
};

describe('planSections', () => {
  const sections = planSections({ ...config, countries: ['PK', 'AF', 'af', 'ZZ'], topics: ['conflict', 'arts-culture'] as TopicId[] });

  it('plans all, regions with stories, countries by code, topics in IPTC order, then custom sections that could match', () => {
    expect(sections.map((s) => s.path)).toEqual([
      'all',
      'region/south-asia',
      'country/af',
      'country/pk',
      'topic/arts-culture',
      'topic/conflict',
      'section/afpak-security',
    ]);
  });

  it.each([
    { path: 'all', kind: 'all', id: 'all', title: 'All stories', filter: { countries: [], topics: [] } },
    { path: 'country/af', kind: 'country', id: 'af', title: 'Afghanistan', filter: { countries: ['AF'], topics: [] } },
    { path: 'topic/conflict', kind: 'topic', id: 'conflict', title: 'Conflict, war and peace', filter: { countries: [], topics: ['conflict'] } },
    { path: 'region/south-asia', kind: 'region', id: 'south-asia', title: 'South Asia', filter: { countries: ['AF', 'BD', 'BT', 'IN', 'LK', 'MV', 'NP', 'PK'], topics: [] } },
    { path: 'section/afpak-security', kind: 'custom', id: 'afpak-security', title: 'Af-Pak security', filter: { countries: ['AF', 'PK'], topics: ['conflict'] } },
  ])('$path is a $kind section titled "$title"', ({ path, ...expected }) => {
    expect(sections.find((s) => s.path === path)).toMatchObject(expected);
  });

  it('gives every section a description', () => {
    for (const s of sections) expect(s.description.length).toBeGreaterThan(0);
    expect(sections.find((s) => s.id === 'south-asia')?.description).toBe(
      'Stories about Afghanistan, Bangladesh, Bhutan, India, Sri Lanka, Maldives, Nepal and Pakistan',
    );
  });

  it('keeps a configured description and plans a topic-only custom section when its topic has stories', () => {
    const withHealth = planSections({ ...config, countries: [], topics: ['health'] });
    expect(withHealth.map((s) => s.path)).toEqual(['all', 'topic/health', 'section/health-watch']);
    expect(withHealth.at(-1)?.description).toBe('Health news anywhere');
  });

  it('plans only `all` when nothing has stories yet', () => {
    expect(planSections({ ...config, countries: [], topics: [] }).map((s) => s.path)).toEqual(['all']);
  });

  it('refuses an id that is not a safe folder name', () => {
    expect(() => planSections({ regions: { '../etc': ['AF'] }, custom: [], countries: ['AF'], topics: [] })).toThrow(/not a safe folder name/);
  });

  it.each([
    ['south-asia', 'South Asia'],
    ['middle-east-and-north-africa', 'Middle East and North Africa'],
    ['eu', 'EU'],
    ['mena', 'MENA'],
    ['horn-of-africa', 'Horn of Africa'],
  ])('titles region %s as "%s"', (id, title) => {
    expect(regionTitle(id)).toBe(title);
  });
});

describe('sectionsAffected', () => {
  const sections: Section[] = planSections({
    ...config,
    countries: ['AF', 'PK', 'IN', 'KZ'],
    topics: ['conflict', 'health', 'sport'],
  });
  const changed = (over: Partial<ChangedTags>): ChangedTags => ({ any: true, countries: [], topics: [], ...over });

  it.each([
    { name: 'nothing changed: nothing to render', change: { any: false }, paths: [] },
    { name: 'an untagged story changed: only all', change: {}, paths: ['all'] },
    {
      name: 'an Afghan story: all, its country, its region',
      change: { countries: ['AF'] },
      paths: ['all', 'region/south-asia', 'country/af'],
    },
    {
      name: 'a conflict story with no country: all, the topic',
      change: { topics: ['conflict'] },
      paths: ['all', 'topic/conflict'],
    },
    {
      name: 'a health story: all, the topic and the topic-only custom section',
      change: { topics: ['health'] },
      paths: ['all', 'topic/health', 'section/health-watch'],
    },
    {
      name: 'Afghanistan and conflict: the custom section that needs both too',
      change: { countries: ['AF'], topics: ['conflict'] },
      paths: ['all', 'region/south-asia', 'country/af', 'topic/conflict', 'section/afpak-security'],
    },
    {
      name: 'Kazakhstan and sport: Central Asia, not South Asia; not the Af-Pak section',
      change: { countries: ['KZ'], topics: ['sport'] },
      paths: ['all', 'region/central-asia', 'country/kz', 'topic/sport'],
    },
    {
      name: 'lower-case codes and a missing `any` flag still count',
      change: { any: false, countries: ['pk'] },
      paths: ['all', 'region/south-asia', 'country/pk'],
    },
  ] as { name: string; change: Partial<ChangedTags>; paths: string[] }[])('$name', ({ change, paths }) => {
    expect(sectionsAffected(sections, changed(change)).map((s) => s.path)).toEqual(paths);
  });
});
