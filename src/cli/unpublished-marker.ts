import type { LockRecord, Store } from '../store/index.js';

/**
 * Markers in the store's lock table that say "this pass stores changes it has not published yet", one per pass: set
 * before a pass stores anything, renewed while it runs, removed after its publish succeeds. A marker left to expire
 * belongs to a pass that was killed or failed in between; the next pass to see it renders every section, not only
 * those its own changes touched, and then removes it. A marker still renewed belongs to a pass running beside this one
 * (another PostgreSQL worker), which publishes its own changes.
 */
const PREFIX = 'unpublished-changes';
/** Written by earlier versions: one marker for all passes, owned by `marker`, that never expires. */
const LEGACY_OWNER = 'marker';

const markerName = (workerId: string) => `${PREFIX}:${workerId}`;

/**
 * Markers of earlier passes that stored changes and never published them. When this pass holds the store alone
 * (`exclusive`: SQLite's pass lock), every marker is. Otherwise, the expired ones and this process's own (its passes
 * never overlap, so one left at the start of a pass is an earlier pass's that failed).
 */
export async function abandonedMarkers(store: Store, workerId: string, now: number, exclusive: boolean): Promise<LockRecord[]> {
  const markers = await store.locks(PREFIX);
  return markers.filter((m) => exclusive || m.owner === LEGACY_OWNER || m.owner === workerId || m.expiresAt <= now);
}

/** Sets (or renews) this pass's marker until `now + ttlMs`. */
export async function markUnpublishedChanges(store: Store, workerId: string, now: number, ttlMs: number): Promise<void> {
  await store.acquireLock(markerName(workerId), workerId, now, ttlMs);
}

/**
 * After a successful publish: removes the markers whose changes it published — this pass's own, the abandoned ones and
 * those of the workers it published for. When another worker published this pass's changes, that worker removes this
 * pass's marker once its publish succeeded; if it dies first, the marker expires and a later pass renders everything.
 */
export async function clearUnpublishedChanges(
  store: Store,
  workerId: string,
  abandoned: readonly LockRecord[],
  published: { readonly publishedByAnother?: boolean; readonly publishedFor?: readonly string[] } = {},
): Promise<void> {
  if (!published.publishedByAnother) await store.releaseLock(markerName(workerId), workerId);
  for (const m of abandoned) await store.releaseLock(m.name, m.owner);
  for (const owner of published.publishedFor ?? []) await store.releaseLock(markerName(owner), owner);
}

/** The lock name and owner of this pass's marker, for renewal. */
export function markerLock(workerId: string): { name: string; owner: string } {
  return { name: markerName(workerId), owner: workerId };
}
