import { Counter } from 'prom-client';
import { adapterErrorCount } from '../redis/adapter-errors.js';

/**
 * Errors of the cross-process Socket.IO adapter (Redis unreachable, a publish or stream read
 * failing). The Redis code counts them in `redis/adapter-errors.ts` and knows nothing of metrics;
 * this counter reads that count at each scrape, so every server's registry (tests run several in
 * one process) shows the process's one figure.
 */
export const adapterErrors = new Counter({
  name: 'truceline_adapter_errors_total',
  help: 'Errors of the cross-process Socket.IO adapter (Redis) since the process started',
  registers: [],
  collect() {
    this.reset();
    this.inc(adapterErrorCount());
  },
});

