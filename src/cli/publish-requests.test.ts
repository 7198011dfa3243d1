import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { silentLog } from '../../tests/fixtures/store/backends.js';
import { openStore } from '../store/index.js';
import type { Store } from '../store/index.js';
import { requestPublish, takePublishRequests } from './publish-requests.js';
import { clearUnpublishedChanges, markUnpublishedChanges } from './unpublished-marker.js';

const T0 = Date.UTC(2026, 0, 10, 12);
const TTL = 5 * 60_000;

describe('publish requests', () => {
  let store: Store;
  beforeEach(async () => {
    store = await openStore(':memory:', { log: silentLog });
  });
  afterEach(async () => {
    await store.close();
  });

  it('the next publisher takes over live requests; a worker whose request was taken publishes nothing', async () => {
    await requestPublish(store, 'a', T0, TTL);
    await requestPublish(store, 'stale', T0 - 2 * TTL, TTL);
    await requestPublish(store, 'b', T0 + 1, TTL);
    const b = await takePublishRequests(store, 'b', T0 + 2);
    expect(b.ownTaken).toBe(false);
    expect(b.others.map((r) => r.owner)).toEqual(['a']);
    expect(await takePublishRequests(store, 'a', T0 + 3)).toEqual({ ownTaken: true, others: [] });
    // An expired request is not taken over (its worker may be gone with its changes uncommitted): it stays its own.
    expect((await takePublishRequests(store, 'stale', T0 + 4)).ownTaken).toBe(false);
  });

  it('the publisher clears the markers of the workers it published for; a covered worker leaves its own', async () => {
    for (const w of ['a', 'b']) await markUnpublishedChanges(store, w, T0, TTL);
    await clearUnpublishedChanges(store, 'a', [], { publishedByAnother: true });
    expect((await store.locks('unpublished-changes')).map((m) => m.owner).sort()).toEqual(['a', 'b']);
    await clearUnpublishedChanges(store, 'b', [], { publishedFor: ['a'] });
    expect(await store.locks('unpublished-changes')).toEqual([]);
  });
});
