/**
 * Counts the live work that a graceful close must let finish: client messages still being
 * read (a long-polling POST) and handlers that have not acknowledged yet. Closing a socket
 * while either is pending stores a report whose ack never reaches the monitor.
 */
export class InFlight {
  private pending = 0;

  get count(): number {
    return this.pending;
  }

  /** Runs `work`, counted until it settles. */
  async run<T>(work: () => Promise<T>): Promise<T> {
    this.pending++;
    try {
      return await work();
    } finally {
      this.pending--;
    }
  }

  /** Counts from now until `done` is called (once; later calls do nothing). */
  begin(): () => void {
    this.pending++;
    let ended = false;
    return () => {
      if (ended) return;
      ended = true;
      this.pending--;
    };
  }
}

function nextTurn(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/**
 * Resolves once nothing has been in flight for `quietTurns` consecutive event-loop turns (each
 * turn passes a poll phase, so bytes already on a connection get read and counted), or when
 * `maxMs` have passed, whichever comes first.
 */
export async function quiesce(busy: () => boolean, options: { quietTurns?: number; maxMs: number }): Promise<void> {
  const quietTurns = options.quietTurns ?? 3;
  const deadline = Date.now() + options.maxMs;
  let quiet = 0;
  while (quiet < quietTurns && Date.now() < deadline) {
    await nextTurn();
    quiet = busy() ? 0 : quiet + 1;
  }
}
