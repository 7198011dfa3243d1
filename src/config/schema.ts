import { validate as isValidCron } from 'node-cron';
import { z } from 'zod';
import { isCountryCode, isTopicId, TOPIC_IDS } from '../core/index.js';
import type { CountryCode, TopicId } from '../core/index.js';
import { PRODUCT_USER_AGENT } from './version.js';

const ID_PATTERN = /^[a-z0-9][a-z0-9-]*$/;
const idSchema = z.string().regex(ID_PATTERN, 'must be lower-case letters, digits and dashes (like "dawn" or "bbc-urdu")');

const countrySchema = z
  .string()
  .transform((s) => s.trim().toUpperCase())
  .refine(isCountryCode, { error: (iss) => `"${String(iss.input)}" is not an ISO 3166-1 alpha-2 country code` })
  .transform((s): CountryCode => s);

const topicSchema = z
  .string()
  .refine(isTopicId, { error: (iss) => `"${String(iss.input)}" is not a topic id; use one of ${TOPIC_IDS.join(', ')}` })
  .transform((s) => s as TopicId);

const httpUrlSchema = z.string().refine(
  (s) => {
    try {
      const u = new URL(s);
      return u.protocol === 'http:' || u.protocol === 'https:';
    } catch {
      return false; // URL throws on anything unparseable; the refinement reports it
    }
  },
  { error: (iss) => `"${String(iss.input)}" is not an absolute http(s) URL` },
);

const sourceSchema = z.strictObject({
  /** Stable id, kebab-case; part of every item id, so changing it re-publishes that source's items. */
  id: idSchema,
  /** Feed URL (RSS, Atom, RDF or JSON Feed). */
  url: httpUrlSchema,
  /** Outlet name as readers know it. */
  name: z.string().trim().min(1),
  /** Home country: breaks ties and fills in when an item names no place. */
  country: countrySchema.optional(),
  /** BCP 47 language of the feed ("ur", "fa-AF"). */
  language: z.string().regex(/^[a-zA-Z]{2,3}(-[a-zA-Z0-9]{2,8})*$/, 'must be a BCP 47 language tag like "ur" or "fa-AF"').optional(),
  /**
   * Higher wins when choosing which copy of a syndicated story represents it.
   * @defaultValue 0
   */
  priority: z.number().int().min(-100).max(100).default(0),
});

const customSectionSchema = z
  .strictObject({
    id: idSchema,
    title: z.string().trim().min(1),
    description: z.string().optional(),
    /** Any of these countries (when given)… */
    countries: z.array(countrySchema).default([]),
    /** …and any of these topics (when given). */
    topics: z.array(topicSchema).default([]),
  })
  .refine((s) => s.countries.length > 0 || s.topics.length > 0, {
    message: 'needs at least one of countries or topics',
  });

const tagConfigSchema = z.strictObject({
  /** Extra names per country code: `{ PK: ["Pakistaan"] }`. */
  aliases: z.record(z.string(), z.array(z.string().min(1))).default({}),
  /** Words never taken as place evidence. */
  ignore: z.array(z.string().min(1)).default([]),
  /** Extra words per topic id. */
  topicWords: z.record(z.string(), z.array(z.string().min(1))).default({}),
  /** Feed category label → topic id (`{ "Cricket": sport }`). */
  categoryTopics: z.record(z.string(), topicSchema).default({}),
});

export const configSchema = z
  .strictObject({
    /**
     * When `newsmux start` runs a pass (cron syntax, five or six fields).
     * @defaultValue "*\/15 * * * *"
     */
    schedule: z
      .string()
      .refine((s) => isValidCron(s), { error: (iss) => `"${String(iss.input)}" is not a valid cron expression` })
      .default('*/15 * * * *'),
    /**
     * IANA time zone the schedule is read in.
     * @defaultValue "UTC"
     */
    timezone: z
      .string()
      .refine((tz) => {
        try {
          new Intl.DateTimeFormat('en', { timeZone: tz });
          return true;
        } catch {
          return false; // Intl throws RangeError for unknown zones
        }
      }, 'is not an IANA time zone like "UTC" or "Asia/Kabul"')
      .default('UTC'),
    /** `newsmux start` runs a pass at once, before the first scheduled one. @defaultValue true */
    runOnStart: z.boolean().default(true),
    /** Grace period for the current pass on SIGTERM. @defaultValue 30000 */
    shutdownGraceMs: z.number().int().min(0).max(600_000).default(30_000),
    /**
     * Worker threads that parse, sanitize and tag fetched feeds (the CPU-bound part of a pass); 0 does it on the main
     * thread, without the threads' per-feed deadline and heap cap (see src/cli/feed-worker-pool.ts). Threads start as
     * the backlog of fetched feeds needs them. @defaultValue the number of cores less one (at least 1)
     */
    workers: z.number().int().min(0).max(64).optional(),
    /** A file path selects SQLite; `postgres://…` selects PostgreSQL. @defaultValue "./data/newsmux.db" */
    store: z.string().min(1).default('./data/newsmux.db'),
    output: z
      .strictObject({
        /** Where section folders, index.html and feeds.opml are written. @defaultValue "./public" */
        dir: z.string().min(1).default('./public'),
        /** Public URL of `dir`, for self links and the OPML. @defaultValue "http://localhost:8080/" */
        baseUrl: httpUrlSchema.transform((s) => (s.endsWith('/') ? s : `${s}/`)).default('http://localhost:8080/'),
        /** Title prefix of every published feed. @defaultValue "newsmux" */
        title: z.string().min(1).default('newsmux'),
        /** Stories per section feed. @defaultValue 50 */
        itemsPerFeed: z.number().int().min(1).max(1000).default(50),
        /** Items older than this are pruned. @defaultValue 30 */
        retentionDays: z.number().int().min(1).max(3650).default(30),
      })
      .prefault({}),
    fetch: z
      .strictObject({
        /** Requests in flight at once. @defaultValue 16 */
        concurrency: z.number().int().min(1).max(512).default(16),
        /** Requests in flight per host. @defaultValue 2 */
        perHost: z.number().int().min(1).max(64).default(2),
        /** Total deadline per request, headers and body. @defaultValue 15000 */
        timeoutMs: z.number().int().min(100).max(600_000).default(15_000),
        /** Deadline to connect. @defaultValue 10000 */
        connectTimeoutMs: z.number().int().min(100).max(600_000).default(10_000),
        /** Largest body accepted, counted after decompression. @defaultValue 10485760 */
        maxBytes: z.number().int().min(1024).max(1024 ** 3).default(10 * 1024 * 1024),
        /**
         * Most items read from one feed body, the newest by date: an archive feed of thousands of items costs no more
         * than this many (memory and time are then bounded by `maxBytes` for parsing and by this for the rest).
         * @defaultValue 1000
         */
        maxItemsPerFeed: z.number().int().min(1).max(100_000).default(1000),
        /** @defaultValue 5 */
        maxRedirects: z.number().int().min(0).max(20).default(5),
        /** @defaultValue "newsmux/<version> (+https://github.com/newsmux/newsmux)" */
        userAgent: z.string().min(1).default(PRODUCT_USER_AGENT),
        /** Allow redirects into loopback, private and link-local addresses. @defaultValue false */
        allowPrivateAddresses: z.boolean().default(false),
        /** Longest wait between checks of a failing source. @defaultValue 24 */
        maxBackoffHours: z.number().min(1).max(24 * 30).default(24),
        /**
         * A source claimed by a worker is claimable by another after this long: how soon the sources of a crashed
         * worker are picked up. Longer than any pass should take. @defaultValue 600
         */
        leaseSeconds: z.number().int().min(5).max(86_400).default(600),
        /** Sources are checked at most this often, whatever the schedule. @defaultValue 10 */
        minIntervalMinutes: z.number().min(0).max(24 * 60).default(10),
      })
      .prefault({}),
    dedupe: z
      .strictObject({
        /** Same normalized title from one source within this window is one item. @defaultValue 48 */
        titleWindowHours: z.number().min(0).max(24 * 30).default(48),
        /** Find syndicated and rewritten copies across sources. @defaultValue true */
        nearDuplicates: z.boolean().default(true),
        /** Copies are looked for within this window of each other. @defaultValue 72 */
        windowHours: z.number().min(1).max(24 * 30).default(72),
      })
      .prefault({}),
    tagging: tagConfigSchema.prefault({}),
    server: z
      .strictObject({
        /** Serve output.dir on this port from `newsmux start`; `newsmux serve` defaults to 8080. */
        port: z.number().int().min(0).max(65535).optional(),
        /** @defaultValue "0.0.0.0" */
        host: z.string().min(1).default('0.0.0.0'),
        /** Cache-Control max-age for feeds. @defaultValue 300 */
        maxAgeSeconds: z.number().int().min(0).max(86_400).default(300),
      })
      .prefault({}),
    sources: z.array(sourceSchema).min(1, 'needs at least one source'),
    sections: z
      .strictObject({
        /** Region id → member countries; each gets `region/<id>/`. */
        regions: z.record(idSchema, z.array(countrySchema).min(1)).default({}),
        /** Custom sections: countries AND topics; each gets `section/<id>/`. */
        custom: z.array(customSectionSchema).default([]),
      })
      .prefault({}),
  })
  .superRefine((config, ctx) => {
    reportDuplicates(config.sources.map((s) => s.id), ['sources'], 'id', 'source id', ctx);
    reportDuplicates(config.sections.custom.map((s) => s.id), ['sections', 'custom'], 'id', 'section id', ctx);
    for (const code of Object.keys(config.tagging.aliases)) {
      if (!isCountryCode(code)) {
        ctx.addIssue({ code: 'custom', path: ['tagging', 'aliases', code], message: `"${code}" is not an ISO 3166-1 alpha-2 country code` });
      }
    }
    for (const topic of Object.keys(config.tagging.topicWords)) {
      if (!isTopicId(topic)) {
        ctx.addIssue({ code: 'custom', path: ['tagging', 'topicWords', topic], message: `"${topic}" is not a topic id` });
      }
    }
  });

function reportDuplicates(ids: string[], at: (string | number)[], field: string, what: string, ctx: z.RefinementCtx): void {
  const firstIndex = new Map<string, number>();
  ids.forEach((id, index) => {
    const first = firstIndex.get(id);
    if (first === undefined) firstIndex.set(id, index);
    else ctx.addIssue({ code: 'custom', path: [...at, index, field], message: `duplicate ${what} "${id}" (first used at ${formatPath([...at, first])})` });
  });
}

/** `["sources", 3, "url"]` → `sources[3].url`. */
export function formatPath(path: readonly PropertyKey[]): string {
  return path
    .map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? String(p) : `.${String(p)}`))
    .join('');
}

/** The validated config, with defaults filled in. */
export type Config = z.output<typeof configSchema>;
export type ConfigInput = z.input<typeof configSchema>;
export type SourceConfig = Config['sources'][number];
