import type { Logger } from 'pino';
import type { LoginLimiter } from '../auth/login-limiter.js';
import type { Sessions } from '../auth/sessions.js';
import type { Config } from '../config.js';
import type { CommitTrouble } from '../ingest/commit-queue.js';
import type { IngestPipeline } from '../ingest/pipeline.js';
import type { Places } from '../places/places.js';
import type { ServerMetrics } from '../metrics/server-metrics.js';
import type { ReadLimits } from '../read/read-limits.js';
import type { Store } from '../storage/store.js';

/** What the HTTP routes use; built once in `app.ts`. */
export interface HttpServices {
  config: Config;
  store: Store;
  sessions: Sessions;
  pipeline: IngestPipeline;
  log: Logger;
  /** Sign-in attempts (and password changes) per username and per address. */
  loginLimiter: LoginLimiter;
  /** Per-account read budget of the list, sync and export routes (shared with `reports:sync`). */
  readLimits: ReadLimits;
  /** The store's committed watermark (`store.lastSeq()`): the head every reader reports. */
  headSeq: () => Promise<number>;
  lifecycle: () => 'starting' | 'ready' | 'draining';
  /** Why commits are failing right now (`/api/health` answers 503 with it), or `undefined`. */
  commitTrouble: () => CommitTrouble | undefined;
  disconnectUser: (userId: string) => void;
  disconnectSession: (sessionId: string) => void;
  /** `session:ended` to the user's sockets (but those of `exceptSessionId`), then disconnects them. */
  endUserSessions: (userId: string, exceptSessionId?: string) => void;
  /** The gazetteer: places of reports and incidents, and `GET /api/places`. */
  places: Places;
  /** Prometheus metrics, when `METRICS_TOKEN` or `METRICS_PORT` is set. */
  metrics?: ServerMetrics | undefined;
}
