import type { ChangedTags, CountryCode, TopicId } from '../core/index.js';

/** Collects the tags of every story added, changed or removed in one operation, for the publisher's dirty sections. */
export class TagChanges {
  private any = false;
  private readonly countries = new Set<CountryCode>();
  private readonly topics = new Set<TopicId>();

  /** Records one touched story with its tags (call it for the tags before and after the change). */
  add(tags: { readonly countries: readonly CountryCode[]; readonly topics: readonly TopicId[] }): void {
    this.any = true;
    for (const c of tags.countries) this.countries.add(c);
    for (const t of tags.topics) this.topics.add(t);
  }

  result(): ChangedTags {
    return { any: this.any, countries: [...this.countries].sort(), topics: [...this.topics].sort() };
  }
}

export const NOTHING_CHANGED: ChangedTags = Object.freeze({ any: false, countries: [], topics: [] });
