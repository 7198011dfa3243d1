import { describe, expect, it } from 'vitest';
import { createMetrics } from './metrics.js';

const pass = {
  startedAt: Date.UTC(2026, 10, 24, 12),
  finishedAt: Date.UTC(2026, 10, 24, 12) + 7_500,
  status: 'ok' as const,
  itemsNew: 40,
  itemsUpdated: 3,
  itemsDuplicate: 5,
  itemsMerged: 2,
  sourcesFailed: 1,
};

describe('createMetrics', () => {
  it('exports every series at zero before the first pass', async () => {
    const text = await createMetrics({ defaultMetrics: false }).render();
    for (const kind of ['new', 'updated', 'duplicate', 'merged']) expect(text).toContain(`newsmux_items_total{kind="${kind}"} 0`);
    expect(text).toContain('newsmux_passes_total{result="ok"} 0');
    expect(text).toContain('newsmux_sources_failing 0');
  });

  it('records a pass: duration, items by kind, failing sources, last pass time', async () => {
    const metrics = createMetrics({ defaultMetrics: false });
    metrics.recordPass(pass);
    metrics.recordPass({ ...pass, itemsNew: 2, sourcesFailing: 4 });
    const text = await metrics.render();
    expect(text).toContain('newsmux_items_total{kind="new"} 42');
    expect(text).toContain('newsmux_items_total{kind="merged"} 4');
    expect(text).toContain('newsmux_pass_duration_seconds_bucket{le="10",status="ok"} 2');
    expect(text).toContain('newsmux_pass_duration_seconds_bucket{le="5",status="ok"} 0');
    expect(text).toContain('newsmux_pass_duration_seconds_sum{status="ok"} 15');
    expect(text).toContain('newsmux_sources_failing 4');
    expect(text).toContain(`newsmux_last_pass_timestamp_seconds{status="ok"} ${pass.finishedAt / 1000}`);
    expect(text).toContain('newsmux_passes_total{result="ok"} 2');
  });

  it('counts skipped and failed passes without touching the item counters', async () => {
    const metrics = createMetrics({ defaultMetrics: false });
    metrics.recordPass({ ...pass, skipped: 'locked' });
    metrics.recordFailedPass(pass.finishedAt);
    const text = await metrics.render();
    expect(text).toContain('newsmux_passes_total{result="skipped"} 1');
    expect(text).toContain('newsmux_passes_total{result="failed"} 1');
    expect(text).toContain('newsmux_items_total{kind="new"} 0');
    expect(text).toContain(`newsmux_last_pass_timestamp_seconds{status="failed"} ${pass.finishedAt / 1000}`);
  });

  it('counts fetches by outcome and status', async () => {
    const metrics = createMetrics({ defaultMetrics: false });
    metrics.recordFetch('ok', 200);
    metrics.recordFetch('ok', 200);
    metrics.recordFetch('not-modified', 304);
    metrics.recordFetch('failed');
    const text = await metrics.render();
    expect(text).toContain('newsmux_fetch_results_total{outcome="ok",status="200"} 2');
    expect(text).toContain('newsmux_fetch_results_total{outcome="not-modified",status="304"} 1');
    expect(text).toContain('newsmux_fetch_results_total{outcome="failed",status="none"} 1');
  });

  it('keeps registries apart, with process metrics by default', async () => {
    const a = createMetrics();
    const b = createMetrics();
    a.recordFetch('ok', 200);
    expect(await b.render()).not.toContain('status="200"');
    expect(await a.render()).toContain('process_cpu_user_seconds_total');
    expect(a.contentType).toMatch(/^text\/plain; version=0\.0\.4/);
  });
});
