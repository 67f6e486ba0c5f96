import type { Server, Socket } from 'socket.io';
import type { ClientToServerEvents, ServerToClientEvents, User } from '@truceline/shared';

/** What the server remembers about each authenticated socket. */
export interface SocketData {
  user: User;
  sessionId: string;
  address: string;
}

export type TrucelineServer = Server<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>;
export type TrucelineSocket = Socket<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>;
