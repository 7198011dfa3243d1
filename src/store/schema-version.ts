import { StoreError } from '../core/index.js';

/** Refuses a store whose schema was written by a newer newsmux: running old code on it could lose data. */
export function assertSchemaNotNewer(found: number, latest: number): void {
  if (found > latest) {
    throw new StoreError('open', `store: schema v${found} is newer than this build (v${latest}); upgrade newsmux`, {
      code: 'schema-too-new',
    });
  }
}
