import { useEffect } from 'react';
import { startLive } from '../net/live-connection';
import { isUnsent } from '../outbox/outbox-machine';
import { useOutbox } from '../outbox/outbox-store';
import { useConnection } from '../store/connection-store';
import { useFilters } from '../store/filters-store';
import { startReportCache } from '../store/report-cache';
import { t } from '../i18n';
import { endRevokedSession } from './session-actions';
import { useSession } from './session-store';

/** Asks the browser not to evict the outbox and cache under storage pressure. */
async function requestPersistence(): Promise<void> {
  if (!navigator.storage?.persist) return;
  const persisted = (await navigator.storage.persisted()) || (await navigator.storage.persist());
  if (!persisted) console.info(t.connection.persistDenied);
}

/**
 * Runs what a signed-in session needs: the device's report cache, the outbox, and the live
 * connection; disposes of all of it when the session ends. Also warns before closing the page
 * while reports are unsent.
 */
export function useSessionRuntime(): void {
  const status = useSession((s) => s.status);
  const token = useSession((s) => s.token);
  const user = useSession((s) => s.user);

  useEffect(() => {
    void requestPersistence();
    void useOutbox.getState().load();
    const minute = setInterval(() => useFilters.getState().tick(Date.now()), 60_000);
    const beforeUnload = (event: BeforeUnloadEvent): void => {
      if (Object.values(useOutbox.getState().items).some(isUnsent)) {
        event.preventDefault();
        event.returnValue = t.app.beforeUnloadUnsent;
      }
    };
    window.addEventListener('beforeunload', beforeUnload);
    return () => {
      clearInterval(minute);
      window.removeEventListener('beforeunload', beforeUnload);
    };
  }, []);

  useEffect(() => {
    if (status !== 'signed-in' || !token || !user) return;
    let cancelled = false;
    const disposers: (() => void)[] = [];
    void (async () => {
      const stopCache = await startReportCache(user.id);
      if (cancelled) return stopCache();
      disposers.push(stopCache);
      // The outbox is not waited for (the effect above loads it): its runner sends what the
      // load brings as soon as it arrives, and the catch-up need not wait behind it (on a page
      // busy drawing its first frames that load took 0.7 s).
      useConnection.getState().set({ status: navigator.onLine ? 'connecting' : 'offline' });
      disposers.push(startLive({ token, user, onUnauthorized: () => void endRevokedSession() }));
    })();
    return () => {
      cancelled = true;
      for (const d of disposers) d();
    };
  }, [status, token, user]);
}
