import type { Server, Socket } from 'socket.io';
import type { ClientToServerEvents, LiveFormat, ServerToClientEvents, User } from '@truceline/shared';

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
}

export type TrucelineServer = Server<ClientToServerEvents, ServerToClientEvents, InterServerEvents, SocketData>;
export type TrucelineSocket = Socket<ClientToServerEvents, ServerToClientEvents, InterServerEvents, SocketData>;
