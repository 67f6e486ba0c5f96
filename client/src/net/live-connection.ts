import {
  type AreaListResponse,
  type ClientToServerEvents,
  type ConnectErrorData,
  type IncidentListResponse,
  LIST_LIMITS,
  type Report,
  type ServerToClientEvents,
  type SubmitResult,
  SYNC_HEADERS,
  type SyncResponse,
  type User,
} from '@truceline/shared';
import { io, type Socket } from 'socket.io-client';
import { newFromOthers } from '../feed/unseen';
import { useUnseen } from '../feed/unseen-store';
import { OutboxRunner } from '../outbox/outbox-runner';
import { useOutbox } from '../outbox/outbox-store';
import { useConnection } from '../store/connection-store';
import { useLiveData } from '../store/live-data-store';
import { usePresence } from '../store/presence-store';
import { useUi } from '../store/ui-store';
import { api, ApiFailure, apiResponse } from './api';

type ClientSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

const ACK_TIMEOUT_MS = 20_000;

export interface LiveSession {
  token: string;
  user: User;
  /** The server refused the token: the session is over. */
  onUnauthorized(): void;
}

function isConnectErrorData(data: unknown): data is ConnectErrorData {
  return typeof data === 'object' && data !== null && 'error' in data;
}

/**
 * A catch-up sync applies what it has fetched in few, growing batches: the first once it has run
 * `SYNC_APPLY_MS` (a slow link still shows progress), each later one at least that long after
 * the last and only once at least as many reports as are held have arrived, and the rest at the
 * end. Every apply redraws the map (a new cluster index in MapLibre's worker, each redraw ~100 ms
 * without GPU) and the feed over all reports held, so applying every page was quadratic; with
 * each apply at least doubling what is held the total work stays linear, and a fast link gets
 * its whole catch-up in one apply. Meanwhile the status line counts what has arrived. (An early
 * apply of the first 2,000 showed the oldest reports, which the default 24-hour view hides
 * anyway, and cost the 100,000-report benchmark page ~0.7 s.)
 */
const SYNC_APPLY_MS = 10_000;
/** Largest page of `GET /api/sync` (the server's most): 100,000 reports are ten round trips, not a hundred. */
const SYNC_PAGE = LIST_LIMITS.bulkSyncMax;
/**
 * Pages start at `SYNC_FIRST_PAGE` reports and double while a page arrives within `SYNC_PAGE_FAST_MS`; a slow
 * one halves the next (down to 1,000, `reports:sync`'s page): on a satellite link a 6 MB page
 * that breaks off is lost whole.
 */
const SYNC_FIRST_PAGE = 2_000;
const SYNC_PAGE_FAST_MS = 3_000;
const SYNC_PAGE_MIN = 1_000;
/** A page not answered in this long is given up; the sync resumes at the next `seq:head` or connect. */
const SYNC_PAGE_TIMEOUT_MS = 120_000;

/** One `GET /api/sync` page whose headers have arrived, its body still on the way. */
interface SyncPage {
  askedAt: number;
  /** Where the next page starts, from the headers (`lastSeq` undefined: a server without them). */
  next: { lastSeq: number | undefined; hasMore: boolean };
  body: Promise<SyncResponse>;
}

async function fetchSyncPage(token: string, afterSeq: number, limit: number): Promise<SyncPage> {
  const askedAt = Date.now();
  const query = new URLSearchParams({ afterSeq: String(afterSeq), limit: String(limit) });
  const { headers, body } = await apiResponse<SyncResponse>(`/api/sync?${query.toString()}`, { token, signal: AbortSignal.timeout(SYNC_PAGE_TIMEOUT_MS) });
  const lastSeq = Number(headers.get(SYNC_HEADERS.lastSeq) ?? Number.NaN);
  return {
    askedAt,
    next: { lastSeq: Number.isSafeInteger(lastSeq) && lastSeq >= afterSeq ? lastSeq : undefined, hasMore: headers.get(SYNC_HEADERS.hasMore) === 'true' },
    body,
  };
}

/**
 * The one owner of the Socket.IO connection. It turns server events into store actions,
 * catches up with `reports:sync`, and drains the outbox while connected. Components never see
 * the socket. Returns the function that disposes of all of it.
 */
export function startLive(session: LiveSession): () => void {
  // WebSocket first (one round trip less on a slow link), and long-polling when something on the
  // way (a carrier proxy, a hotel network) blocks it.
  // `live: 'commit'`: one message per commit instead of one per changed incident and area.
  const socket: ClientSocket = io({ auth: { token: session.token, live: 'commit' }, transports: ['websocket', 'polling'], tryAllTransports: true });
  const live = useLiveData.getState();
  const connection = useConnection.getState();
  let disposed = false;
  let syncing: Promise<void> | undefined;
  let syncAgain = false;
  /** Until when the server asked this account to wait (`rate_limited`); a resume is scheduled for then. */
  let syncResumesAt = 0;
  const timers = new Set<ReturnType<typeof setTimeout>>();
  /** Runs `then` after `ms`, unless disposed first. */
  const later = (ms: number, then: () => void): void => {
    const timer = setTimeout(() => {
      timers.delete(timer);
      if (!disposed) then();
    }, ms);
    timers.add(timer);
  };

  const runner = new OutboxRunner({
    userId: session.user.id,
    connected: () => socket.connected,
    onConfirmed: (report) => live.reportsArrived([report]),
    send: async (drafts) => {
      if (!socket.connected) throw new Error('not connected');
      const answer = await socket.timeout(ACK_TIMEOUT_MS).emitWithAck('reports:submit', drafts);
      if ('results' in answer) return answer.results;
      // The whole batch was refused (too large, …): the same error for each report.
      return drafts.map((): SubmitResult => ({ ok: false, error: answer.error }));
    },
  });

  /** Pages through `GET /api/sync` from the last synced `seq` until the server says there is no more. */
  const sync = (): Promise<void> => {
    if (syncing) {
      syncAgain = true;
      return syncing;
    }
    // Asked to wait: the resume scheduled when the server said so runs this sync.
    if (Date.now() < syncResumesAt) return Promise.resolve();
    useConnection.getState().set({ catchingUp: true, catchUpArrived: 0 });
    syncing = (async () => {
      // Pages are applied in batches, not one by one: every store update redraws the map and
      // the feed over all reports, so a first sync of 100,000 reports in pages of 1,000 cost
      // a hundred full redraws. The resume point moves only with what has been applied, so an
      // interrupted sync starts again from there and loses nothing.
      let afterSeq = useLiveData.getState().syncedSeq;
      let pending: Report[] = [];
      let applied = 0;
      let appliedAt = Date.now();
      const apply = (): void => {
        if (pending.length > 0) live.reportsArrived(pending);
        live.syncedTo(afterSeq);
        applied += pending.length;
        pending = [];
        appliedAt = Date.now();
      };
      const due = (): boolean => pending.length >= applied && Date.now() - appliedAt >= SYNC_APPLY_MS;
      // Over HTTP (`GET /api/sync`, `reports:sync` with bigger pages): the fetch runs off the
      // page's main thread, so a page busy drawing does not stall the transfer, and a big
      // catch-up is a tenth of the round trips. The first page is small, a probe of the link
      // (see `SYNC_PAGE_FAST_MS`). The next page is asked for as soon as this one's headers say
      // where it ends (`SYNC_HEADERS`), before its body has arrived and been parsed, so the
      // server reads the next page while this one is decoded here.
      let pageSize = SYNC_FIRST_PAGE;
      // Whether the last page arrived whole within `SYNC_PAGE_FAST_MS` (the first is assumed so).
      let lastFast = true;
      const request = (after: number): Promise<SyncPage> => {
        const page = fetchSyncPage(session.token, after, pageSize);
        // Settled by a later turn of the loop; this only keeps an abandoned one from being reported as unhandled.
        page.catch(() => undefined);
        return page;
      };
      let next: Promise<SyncPage> = request(afterSeq);
      try {
        for (;;) {
          const page = await next;
          // The size follows the link: doubled while pages arrive fast, halved after a slow one.
          if (lastFast) pageSize = Math.min(SYNC_PAGE, pageSize * 2);
          // Asked for before this page's body is in, on the word of its headers (a server without
          // them gets the next request once the body is parsed, below).
          let ahead = page.next.hasMore && page.next.lastSeq !== undefined ? { after: page.next.lastSeq, page: request(page.next.lastSeq) } : undefined;
          const answer = await page.body;
          if (disposed) return;
          lastFast = Date.now() - page.askedAt <= SYNC_PAGE_FAST_MS;
          if (!lastFast) pageSize = Math.max(SYNC_PAGE_MIN, Math.floor(pageSize / 2));
          for (const report of answer.reports) pending.push(report);
          if (answer.hasMore) useConnection.getState().set({ catchUpArrived: applied + pending.length });
          afterSeq = answer.lastSeq;
          // The body is the answer; headers that disagreed with it would have asked for the wrong page.
          if (ahead && (!answer.hasMore || ahead.after !== afterSeq)) ahead = undefined;
          if (answer.hasMore) next = ahead ? ahead.page : request(afterSeq);
          if (!answer.hasMore || due()) apply();
          if (!answer.hasMore) break;
        }
      } catch (error) {
        // Keep what has arrived: a sync cut off (a `rate_limited` page, a lost link) resumes after
        // it instead of fetching it, and spending the account's read budget on it, again.
        if (!disposed) apply();
        throw error;
      }
      useConnection.getState().set({ lastSyncedAt: Date.now() });
    })()
      .catch((error: unknown) => {
        if (error instanceof ApiFailure && error.status === 401) session.onUnauthorized();
        else if (error instanceof ApiFailure && error.retryAfterMs !== undefined) {
          // The server's read limit for this account: resume when it says, not at the next
          // `seq:head`, and send nothing before.
          console.info(`sync: the server asked to wait ${error.retryAfterMs} ms`);
          syncResumesAt = Date.now() + error.retryAfterMs;
          later(error.retryAfterMs, () => void sync());
        } else console.info('sync: interrupted, resumes on the next connection or head', error);
      })
      .finally(() => {
        syncing = undefined;
        useConnection.getState().set({ catchingUp: false, catchUpArrived: 0 });
        if (syncAgain && socket.connected) {
          syncAgain = false;
          void sync();
        }
      });
    return syncing;
  };

  const listFailed = (what: string, error: unknown): void => {
    if (error instanceof ApiFailure && error.status === 401) session.onUnauthorized();
    else console.info(`${what} not loaded; live updates still apply`, error);
  };
  const loadAreas = async (): Promise<void> => {
    try {
      const { areas } = await api<AreaListResponse>('/api/areas', { token: session.token });
      if (!disposed) live.aggregatesLoaded([], areas);
    } catch (error) {
      // Nothing else would load them again before the next connection.
      if (error instanceof ApiFailure && error.retryAfterMs !== undefined) later(error.retryAfterMs, () => void loadAreas());
      else listFailed('areas', error);
    }
  };
  // The incident list is loaded only once something shows incidents (the incidents layer, or a
  // report's detail with its incident): unfiltered it is tens of thousands of incidents (23 MB at
  // 100,000 reports) that the map, with that layer off by default, never draws. Live incident
  // events apply either way; a list loaded later keeps any newer incident already held.
  let incidentsStale = true;
  const incidentsWanted = (): boolean => {
    const ui = useUi.getState();
    return ui.layers.incidents || ui.selectedId !== undefined;
  };
  const loadIncidents = async (): Promise<void> => {
    incidentsStale = false;
    try {
      const { incidents } = await api<IncidentListResponse>('/api/incidents', { token: session.token });
      if (!disposed) live.aggregatesLoaded(incidents, Object.values(useLiveData.getState().areas));
    } catch (error) {
      incidentsStale = true;
      if (error instanceof ApiFailure && error.retryAfterMs !== undefined) {
        later(error.retryAfterMs, () => {
          if (incidentsStale && incidentsWanted()) void loadIncidents();
        });
      } else listFailed('incidents', error);
    }
  };
  const unsubscribeUi = useUi.subscribe(() => {
    if (incidentsStale && socket.connected && incidentsWanted()) void loadIncidents();
  });

  socket.on('connect', () => {
    connection.set({ status: 'online', attempt: 0 });
    // Unsent reports first: they exist nowhere else; the catch-up can follow.
    void runner.flush();
    // Areas (and incidents, when shown) after the catch-up: their lists held the server and this
    // page up before the first report showed.
    incidentsStale = true;
    void sync().then(() => {
      void loadAreas();
      if (incidentsWanted()) void loadIncidents();
    });
  });
  socket.on('disconnect', (reason) => {
    if (disposed) return;
    connection.set({ status: navigator.onLine ? 'reconnecting' : 'offline', attempt: 0 });
    // The server closed it on purpose (token revoked, user disabled): Socket.IO will not retry by
    // itself, so check the token; a refused one ends the session, anything else reconnects.
    if (reason === 'io server disconnect') {
      api('/api/me', { token: session.token })
        .then(() => socket.connect())
        .catch((error: unknown) => {
          if (error instanceof ApiFailure && error.status === 401) session.onUnauthorized();
          else socket.connect();
        });
    }
  });
  // Sent just before the server drops a socket whose session is over (revoked, idle, too old):
  // sign in again rather than reconnect with a dead token.
  socket.on('session:ended', () => {
    if (!disposed) session.onUnauthorized();
  });
  socket.on('connect_error', (error) => {
    const data: unknown = (error as Error & { data?: unknown }).data;
    if (isConnectErrorData(data) && data.error.code === 'unauthorized') {
      session.onUnauthorized();
      return;
    }
    if (!navigator.onLine) connection.set({ status: 'offline' });
  });
  socket.io.on('reconnect_attempt', (attempt) => {
    connection.set({ status: navigator.onLine ? 'reconnecting' : 'offline', attempt });
  });

  socket.on('hello', (hello) => {
    connection.set({ clockSkewMs: Date.now() - Date.parse(hello.serverTime), serverSeq: hello.lastSeq });
  });
  socket.on('seq:head', ({ lastSeq }) => {
    connection.set({ serverSeq: lastSeq });
    if (lastSeq > useLiveData.getState().syncedSeq) void sync();
  });
  // The server sends the `commit` format this socket asked for; a server that predates it sends
  // the per-item events below instead.
  socket.on('commit:own', ({ reports = [], updated = [] }) => live.reportsArrived([...reports, ...updated], { live: true }));
  // Only live arrivals count as unseen: a catch-up after a night offline is history, not news.
  // Read before applying them, while the store does not hold them yet.
  const noteUnseen = (reports: readonly Report[]): void =>
    useUnseen.getState().arrived(newFromOthers(reports, useLiveData.getState().reports, session.user.id, useOutbox.getState().items));
  socket.on('commit', ({ reports = [], updated = [], incidents = [], areas = [] }) => {
    noteUnseen(reports);
    live.reportsArrived([...reports, ...updated], { live: true });
    live.aggregatesUpdated(incidents, areas);
  });
  socket.on('reports:new', (reports) => {
    noteUnseen(reports);
    live.reportsArrived(reports, { live: true });
  });
  socket.on('report:updated', (report) => live.reportsArrived([report], { live: true }));
  socket.on('incident:updated', (incident) => live.aggregatesUpdated([incident], []));
  socket.on('area:updated', (area) => live.aggregatesUpdated([], [area]));
  socket.on('presence:update', (presence) => usePresence.getState().updated(presence));

  // The browser knows first: close at once instead of waiting for ping timeouts, so a report
  // made now is plainly queued rather than written into a dead socket.
  const goneOffline = (): void => {
    connection.set({ status: 'offline' });
    socket.disconnect();
  };
  const backOnline = (): void => {
    connection.set({ status: 'reconnecting' });
    if (!socket.connected) socket.connect();
  };
  window.addEventListener('offline', goneOffline);
  window.addEventListener('online', backOnline);
  if (!navigator.onLine) goneOffline();
  // The catch-up is HTTP: it need not wait for the socket's handshake, which on a page busy
  // drawing its first frames took seconds. A failure here is retried on `connect`.
  else void sync();

  return () => {
    disposed = true;
    for (const timer of timers) clearTimeout(timer);
    unsubscribeUi();
    window.removeEventListener('offline', goneOffline);
    window.removeEventListener('online', backOnline);
    runner.stop();
    usePresence.getState().updated({ online: [] });
    useUnseen.getState().clear();
    socket.removeAllListeners();
    socket.io.removeAllListeners();
    socket.disconnect();
  };
}
