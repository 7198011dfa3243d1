/** Fetches source feeds over HTTP: conditional GET, decompression, limits, redirects and the address guard. */
export { createFetcher } from './fetch-source.js';
export type { Fetcher, FetcherOptions, FetchLimits, FetchRequest, FetchResult } from './fetch-source.js';
/** When a source is next due after a fetch outcome (backoff, Retry-After, max-age, ttl). */
export { planNextCheck } from './plan-next-check.js';
export type { PlanNextCheckInput } from './plan-next-check.js';
