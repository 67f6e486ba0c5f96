import { Counter } from 'prom-client';

/**
 * Errors of the cross-process Socket.IO adapter (Redis unreachable, a stream read failing). One
 * counter per process, whoever reports them: the adapter code calls `countAdapterError()` without
 * holding a server's metrics, and each server's registry includes this counter (see `server-metrics.ts`).
 */
export const adapterErrors = new Counter({
  name: 'truceline_adapter_errors_total',
  help: 'Errors of the cross-process Socket.IO adapter (Redis) since the process started',
  registers: [],
});

export function countAdapterError(): void {
  adapterErrors.inc();
}
