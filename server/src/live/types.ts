import type { Server, Socket } from 'socket.io';
import type { ClientToServerEvents, LiveFormat, ServerToClientEvents, User } from '@truceline/shared';

/** What the server remembers about each authenticated socket. */
export interface SocketData {
  user: User;
  sessionId: string;
  address: string;
  live: LiveFormat;
}

export type TrucelineServer = Server<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>;
export type TrucelineSocket = Socket<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>;
