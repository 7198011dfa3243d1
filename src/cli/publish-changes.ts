import type { Config } from '../config/index.js';
import { PublishError } from '../core/index.js';
import type { ChangedTags, Logger, PublishedItem, Section, SectionSummary } from '../core/index.js';
import {
  listPublishedSections,
  planSections,
  publishIndex,
  publishSections,
  removeSections,
  sectionsAffected,
} from '../publish/index.js';
import type { SiteOptions } from '../publish/index.js';
import type { Store } from '../store/index.js';
import { requestPublish, takePublishRequests } from './publish-requests.js';

export interface PublishChangesInput {
  readonly config: Config;
  readonly store: Store;
  readonly log: Logger;
  readonly workerId: string;
  readonly clock: () => number;
  readonly changed: ChangedTags;
  /** Render every section: an earlier pass stored changes and died before publishing them. */
  readonly republishAll?: boolean;
}

const PUBLISH_LOCK_TTL_MS = 2 * 60_000;
const PUBLISH_LOCK_WAIT_MS = 5 * 60_000;
const HEADLINES_PER_SECTION = 3;

/** The site options every publish step shares, from config. */
export function siteOptions(config: Config): SiteOptions {
  return { outputDir: config.output.dir, baseUrl: config.output.baseUrl, title: config.output.title };
}

export interface PublishOutcome {
  readonly sectionsWritten: number;
  readonly filesWritten: number;
  /** Another worker published these changes (see publish-requests.ts). */
  readonly publishedByAnother: boolean;
  /** Workers whose changes this publish took over. */
  readonly publishedFor: readonly string[];
}

/**
 * Renders the sections whose stories changed (or whose folder is missing), then the index and OPML, then removes
 * sections left without stories — in that order, so the index never links a folder that is gone. One worker at a
 * time publishes; the output is the same whichever does. Call it once every change of the pass is committed.
 */
export async function publishChanges(input: PublishChangesInput): Promise<PublishOutcome> {
  const { config, store, workerId, clock } = input;
  const log = input.log.child({ stage: 'publish' });
  await requestPublish(store, workerId, clock(), PUBLISH_LOCK_WAIT_MS + PUBLISH_LOCK_TTL_MS);
  await waitForLock(store, workerId, clock);
  try {
    const requests = await takePublishRequests(store, workerId, clock());
    if (requests.ownTaken) {
      log.info('changes published by another worker');
      return { sectionsWritten: 0, filesWritten: 0, publishedByAnother: true, publishedFor: [] };
    }
    const publishedFor = requests.others.map((r) => r.owner);
    // Their changes are in the store, but which sections they touched is not: render them all.
    const republishAll = input.republishAll || publishedFor.length > 0;
    if (publishedFor.length > 0) log.info({ workers: publishedFor }, 'publishing the changes of other workers too');
    const site = siteOptions(config);
    const counts = await store.tagCounts();
    const planned = planSections({
      regions: config.sections.regions,
      custom: config.sections.custom,
      countries: counts.countries.keys(),
      topics: counts.topics.keys(),
    });
    const existing = new Set(await listPublishedSections(site));
    const dirty = new Set(sectionsAffected(planned, input.changed).map((s) => s.path));
    for (const s of planned) if (republishAll || !existing.has(s.path)) dirty.add(s.path);
    // A quiet pass (nothing stored, nothing pruned, every folder there) has nothing to render: skip the per-section
    // queries the index would need, which would only produce the same bytes again.
    if (dirty.size === 0 && !input.changed.any) return { sectionsWritten: 0, filesWritten: 0, publishedByAnother: false, publishedFor };

    const live: { section: Section; summary: SectionSummary }[] = [];
    const toRender: { section: Section; items: PublishedItem[] }[] = [];
    for (const section of planned) {
      const stats = await store.sectionStats(section.filter);
      if (stats.itemCount === 0 && section.kind !== 'all') continue;
      const render = dirty.has(section.path);
      const items = await store.sectionItems(section.filter, render ? config.output.itemsPerFeed : HEADLINES_PER_SECTION);
      if (render) toRender.push({ section, items });
      live.push({ section, summary: { path: section.path, ...stats, latestTitles: items.slice(0, HEADLINES_PER_SECTION).map(({ title, url }) => ({ title, url })) } });
    }

    const written = await publishSections(site, toRender, log);
    const index = await publishIndex(site, live, log);
    const livePaths = new Set(live.map((e) => e.section.path));
    const gone = [...existing].filter((path) => !livePaths.has(path));
    if (gone.length > 0) await removeSections(site, gone, log);
    return { sectionsWritten: written.sectionsWritten, filesWritten: written.filesWritten + index.filesWritten, publishedByAnother: false, publishedFor };
  } finally {
    await store.releaseLock('publish', workerId);
  }
}

async function waitForLock(store: Store, workerId: string, clock: () => number): Promise<void> {
  const deadline = clock() + PUBLISH_LOCK_WAIT_MS;
  while (!(await store.acquireLock('publish', workerId, clock(), PUBLISH_LOCK_TTL_MS))) {
    if (clock() > deadline) throw new PublishError('publish: another worker has held the publish lock for over 5 minutes; is one stuck?', {});
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}
