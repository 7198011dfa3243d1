import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { silentLog } from '../../tests/fixtures/store/backends.js';
import { openStore } from '../store/index.js';
import type { Store } from '../store/index.js';
import { abandonedMarkers, clearUnpublishedChanges, markUnpublishedChanges } from './unpublished-marker.js';

const T0 = Date.UTC(2026, 0, 10, 12);
const TTL = 5 * 60_000;

describe('unpublished-changes markers', () => {
  let store: Store;
  beforeEach(async () => {
    store = await openStore(':memory:', { log: silentLog });
  });
  afterEach(async () => {
    await store.close();
  });

  const owners = async (workerId: string, now: number, exclusive = false) =>
    (await abandonedMarkers(store, workerId, now, exclusive)).map((m) => m.owner).sort();

  it("leaves a running worker's marker alone and takes over an expired one, this process's own, or a legacy one", async () => {
    await markUnpublishedChanges(store, 'running', T0, TTL);
    await markUnpublishedChanges(store, 'killed', T0 - 2 * TTL, TTL);
    await markUnpublishedChanges(store, 'me', T0 - 60_000, TTL);
    await store.acquireLock('unpublished-changes', 'marker', T0 - 86_400_000, 100 * 365 * 86_400_000);
    expect(await owners('me', T0)).toEqual(['killed', 'marker', 'me']);
    // Holding the store alone (SQLite's pass lock), no other pass can be running: every marker is abandoned.
    expect(await owners('me', T0, true)).toEqual(['killed', 'marker', 'me', 'running']);
  });

  it('after a publish removes its own marker and the abandoned ones it published, not a running one', async () => {
    await markUnpublishedChanges(store, 'running', T0, TTL);
    await markUnpublishedChanges(store, 'killed', T0 - 2 * TTL, TTL);
    const abandoned = await abandonedMarkers(store, 'me', T0, false);
    await markUnpublishedChanges(store, 'me', T0, TTL);
    await clearUnpublishedChanges(store, 'me', abandoned);
    expect((await store.locks('unpublished-changes')).map((m) => m.owner)).toEqual(['running']);
  });
});
