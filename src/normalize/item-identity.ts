import { createHash } from 'node:crypto';
import type { ItemKeyMode } from '../core/index.js';

/** Above this share of blank or repeated keys a feed's guids (or links) cannot identify its items. */
const MAX_BAD_SHARE = 0.05;
const MODES: readonly ItemKeyMode[] = ['guid', 'link', 'link-title'];

/** The identity candidates of one item. */
export interface IdentityFields {
  readonly guid?: string;
  readonly url?: string;
  readonly title: string;
}

/** How many of `values` are missing or repeat an earlier value. */
function badCount(values: readonly (string | undefined)[]): number {
  const seen = new Set<string>();
  let bad = 0;
  for (const v of values) {
    if (v === undefined || seen.has(v)) bad++;
    else seen.add(v);
  }
  return bad;
}

/** Share of items whose guid (or link) is blank or repeated, per mode. */
export function keyQuality(items: readonly IdentityFields[]): { guid: number; link: number } {
  const n = items.length || 1;
  return {
    guid: badCount(items.map((i) => i.guid)) / n,
    link: badCount(items.map((i) => i.url)) / n,
  };
}

/**
 * Decide how this feed's items are identified: guid; link when more than 5% of guids are blank or repeated; link +
 * title when links are no better. A mode used before is kept while it still works for the feed, so item ids do not
 * churn when one poll happens to look different.
 */
export function chooseItemKeyMode(items: readonly IdentityFields[], previous: ItemKeyMode | undefined): ItemKeyMode {
  if (items.length === 0) return previous ?? 'guid';
  const q = keyQuality(items);
  const works = (mode: ItemKeyMode): boolean =>
    mode === 'guid' ? q.guid <= MAX_BAD_SHARE : mode === 'link' ? q.link <= MAX_BAD_SHARE : true;
  if (previous && works(previous)) return previous;
  return MODES.find(works) ?? 'link-title';
}

/**
 * The per-source identity of one item under `mode`. An item that lacks the mode's key falls back to the next one
 * (guid → link → link + title → title), so it is neither dropped nor merged with unrelated items.
 */
export function itemKeyFor(item: IdentityFields, mode: ItemKeyMode): string {
  const linkTitle = `${item.url ?? item.guid ?? ''}\n${item.title}`;
  switch (mode) {
    case 'guid':
      return item.guid ?? item.url ?? linkTitle;
    case 'link':
      return item.url ?? item.guid ?? linkTitle;
    case 'link-title':
      return linkTitle;
  }
}

/** Short stable item id: 16 hex characters of sha256(`${sourceId}\n${itemKey}`). */
export function itemIdFor(sourceId: string, itemKey: string): string {
  return createHash('sha256').update(`${sourceId}\n${itemKey}`).digest('hex').slice(0, 16);
}
