import { StoreError } from '../../core/index.js';

/** A driver error as the `StoreError` of the operation it broke; a `StoreError` passes as it is. */
export function wrap(op: string, err: unknown): StoreError {
  if (err instanceof StoreError) return err;
  const message = err instanceof Error ? err.message : String(err);
  return new StoreError(op, `store: ${op} failed: ${message}`, { cause: err });
}
