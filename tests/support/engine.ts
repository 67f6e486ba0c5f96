/**
 * Bare engine.io over HTTP long-polling, as a script that never signs in would speak it: a
 * handshake opens a connection (and takes a MAX_CONNECTIONS_PER_IP slot) with no Socket.IO
 * connect packet and no token.
 */
export interface EngineHandshake {
  status: number;
  /** The connection's id, when the handshake was accepted. */
  sid?: string;
  /** engine.io's refusal message, when it was not. */
  message?: string;
}

export async function engineHandshake(url: string, headers: Record<string, string> = {}): Promise<EngineHandshake> {
  const res = await fetch(`${url}/socket.io/?EIO=4&transport=polling`, { headers });
  const text = await res.text();
  if (res.status === 200) {
    // An open packet: `0` then the handshake JSON.
    const open = JSON.parse(text.slice(1)) as { sid: string };
    return { status: res.status, sid: open.sid };
  }
  const refusal = JSON.parse(text) as { message?: string };
  return { status: res.status, ...(refusal.message !== undefined ? { message: refusal.message } : {}) };
}

/**
 * One long-poll of connection `sid`: resolves with the packets the server sends next (`1` is
 * `close`), or with `cut` when the server drops the request instead.
 */
export async function enginePoll(url: string, sid: string): Promise<string> {
  try {
    const res = await fetch(`${url}/socket.io/?EIO=4&transport=polling&sid=${encodeURIComponent(sid)}`);
    return await res.text();
  } catch (error) {
    if (error instanceof TypeError) return 'cut';
    throw error;
  }
}
