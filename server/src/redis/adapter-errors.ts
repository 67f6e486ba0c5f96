/**
 * Counts what goes wrong between this process and Redis (a lost connection, a publish that
 * failed): the operators' `adapter errors` metric listens here, so this module needs no
 * knowledge of metrics and the metrics none of Redis.
 */
const listeners = new Set<() => void>();
let count = 0;

export function reportAdapterError(): void {
  count++;
  for (const listener of listeners) listener();
}

/** Calls `listener` on every adapter error from now on; returns the unsubscribe. */
export function onAdapterError(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** Adapter errors since the process started. */
export function adapterErrorCount(): number {
  return count;
}
