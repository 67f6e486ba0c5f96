import { useEffect } from 'react';
import { startLive } from '../net/live-connection';
import { useConnection } from '../store/connection-store';
import { startReportCache } from '../store/report-cache';
import { endRevokedSession } from './session-actions';
import { useSession } from './session-store';

/**
 * Runs what a signed-in session needs: the device's report cache and the live connection (which
 * runs the outbox); disposes of all of it when the session ends. Mounted with the signed-in
 * screens, so none of it is loaded before someone signs in; `useDeviceRuntime` is the rest.
 */
export function useSessionRuntime(): void {
  const status = useSession((s) => s.status);
  const token = useSession((s) => s.token);
  const user = useSession((s) => s.user);

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
