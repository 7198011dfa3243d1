import type { Store } from '../store/index.js';

// A row in the store's lock table that says "changes were stored that may not be published yet". It is set before a
// pass stores anything and cleared after a publish succeeds, so a pass killed or failed in between leaves it behind, and
// the next pass re-renders every section instead of only those its own changes touched.
const NAME = 'unpublished-changes';
const MARKER_OWNER = 'marker';
const FOREVER_MS = 100 * 365 * 86_400_000;

/** True when an earlier pass stored changes and did not finish publishing them. */
export async function hasUnpublishedChanges(store: Store, probeOwner: string, now: number): Promise<boolean> {
  // acquireLock fails only while another owner holds the name: the marker. A probe that succeeds is removed at once.
  if (!(await store.acquireLock(NAME, probeOwner, now, 0))) return true;
  await store.releaseLock(NAME, probeOwner);
  return false;
}

export async function markUnpublishedChanges(store: Store, now: number): Promise<void> {
  await store.acquireLock(NAME, MARKER_OWNER, now, FOREVER_MS);
}

export async function clearUnpublishedChanges(store: Store): Promise<void> {
  await store.releaseLock(NAME, MARKER_OWNER);
}
