import type { Server, Socket } from 'socket.io';
import type { ClientToServerEvents, LiveFormat, Presence, ServerToClientEvents, User } from '@truceline/shared';

/** What the server remembers about each authenticated socket. */
export interface SocketData {
  user: User;
  sessionId: string;
  address: string;
  live: LiveFormat;
}

/** Between server processes (through the Redis adapter): each commit, as JSON (see `Publisher`). */
export interface InterServerEvents {
  'truceline:commit': (json: string) => void;
  /** Answered with the process's own presence list (`cluster-presence.ts`). */
  'truceline:presence': (answer: (presence: Presence) => void) => void;
  'truceline:presence-changed': () => void;
}

export type TrucelineServer = Server<ClientToServerEvents, ServerToClientEvents, InterServerEvents, SocketData>;
export type TrucelineSocket = Socket<ClientToServerEvents, ServerToClientEvents, InterServerEvents, SocketData>;
