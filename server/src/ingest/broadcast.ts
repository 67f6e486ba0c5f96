import type { Area, Incident, Report } from '@truceline/shared';

/** What one commit changed, handed to the live layer once, after the commit is durable. */
export interface CommitEvents {
  newReports: Report[];
  updatedReports: Report[];
  incidents: Incident[];
  areas: Area[];
  lastSeq: number;
}

/** The ingest pipeline's only view of the live layer: it never imports socket.io. */
export interface Broadcaster {
  committed(events: CommitEvents): void;
}
