import type { LockRecord, Store } from '../store/index.js';

/**
 * Requests to publish, one per worker, in the store's lock table. Workers that share a store and finish a round
 * together would otherwise each render the sections their own changes touched, one after another under the publish
 * lock, mostly producing the same bytes. A worker asks once every change of its pass is committed; the next worker to
 * publish takes over, before it reads anything, every request it finds, and renders every section: what it reads then
 * holds their changes. A worker whose request was taken over has nothing left to publish.
 */
const PREFIX = 'publish-wanted:';

/** Says that this worker's changes are committed and wait to be published. */
export async function requestPublish(store: Store, workerId: string, now: number, ttlMs: number): Promise<void> {
  await store.acquireLock(`${PREFIX}${workerId}`, workerId, now, ttlMs);
}

/**
 * Called holding the publish lock, before reading: removes this worker's request and takes over the other live ones.
 * `ownTaken` says that another worker took this one's over (its publish read these changes, or it died and the
 * unpublished-changes marker it did not clear makes a later pass render everything).
 */
export async function takePublishRequests(store: Store, workerId: string, now: number): Promise<{ ownTaken: boolean; others: LockRecord[] }> {
  const requests = await store.locks(PREFIX);
  const own = requests.find((r) => r.owner === workerId);
  const others = requests.filter((r) => r.owner !== workerId && r.expiresAt > now);
  for (const r of [...others, ...(own ? [own] : [])]) await store.releaseLock(r.name, r.owner);
  return { ownTaken: !own, others };
}
