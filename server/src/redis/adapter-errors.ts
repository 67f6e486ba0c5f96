/**
 * Counts what goes wrong between this process and Redis (a lost connection, a publish that
 * failed): the operators' `adapter errors` metric reads the count at each scrape, so this module
 * needs no knowledge of metrics and the metrics none of Redis.
 */
let count = 0;

export function reportAdapterError(): void {
  count++;
}

/** Adapter errors since the process started. */
export function adapterErrorCount(): number {
  return count;
}
