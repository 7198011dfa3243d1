/** Serving `output.dir` over HTTP, with `/healthz` and `/metrics`. */
export { startServer } from './start-server.js';
export type { RunningServer, ServeOptions } from './start-server.js';
/** Prometheus metrics of passes, on a registry of their own. */
export { createMetrics } from './metrics.js';
export type { PassMetrics, PassMetricsRecord } from './metrics.js';
/** Turns the last pass and source health into the `/healthz` answer. */
export { assessHealth } from './health.js';
export type { HealthInput, HealthReport, HealthStatus } from './health.js';
