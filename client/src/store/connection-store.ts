import { create } from 'zustand';

export type ConnectionStatus = 'connecting' | 'online' | 'reconnecting' | 'offline';

/** A device clock this far off the server's gets a visible warning (report times come from it). */
export const CLOCK_SKEW_WARN_MS = 2 * 60_000;

export interface ConnectionState {
  status: ConnectionStatus;
  /** Reconnection attempt number while `reconnecting`. */
  attempt: number;
  /** When the client last finished catching up with the server (epoch ms). */
  lastSyncedAt: number | undefined;
  /** A catch-up sync is running (the report cache waits for its end to write). */
  catchingUp: boolean;
  /** Reports the running catch-up has fetched so far (shown as progress; applied in batches). */
  catchUpArrived: number;
  /** Device clock minus server clock, from `hello`. */
  clockSkewMs: number;
  /** The server's head `seq`, from `hello` and `seq:head`. */
  serverSeq: number;
  set(patch: Partial<Omit<ConnectionState, 'set'>>): void;
}

export const useConnection = create<ConnectionState>((set) => ({
  status: 'connecting',
  attempt: 0,
  lastSyncedAt: undefined,
  catchingUp: false,
  catchUpArrived: 0,
  clockSkewMs: 0,
  serverSeq: 0,
  set: (patch) => set(patch),
}));
