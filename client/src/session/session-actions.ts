import { isUnsent } from '../outbox/outbox-machine';
import { useOutbox } from '../outbox/outbox-store';
import { api } from '../net/api';
import { clearReportCache } from '../store/report-cache';
import { t } from '../i18n';
import { useSession } from './session-store';

/** Unsent reports of the signed-in user. */
export function unsentCount(userId: string | undefined): number {
  return Object.values(useOutbox.getState().items).filter((i) => i.userId === userId && isUnsent(i)).length;
}

/**
 * Signs out after asking, when reports are still unsent (they stay in the outbox for the next
 * sign-in of the same user). Returns false when the person chose to stay.
 */
export async function signOut(): Promise<boolean> {
  const { token, user } = useSession.getState();
  const unsent = unsentCount(user?.id);
  if (unsent > 0 && !window.confirm(t.app.signOutUnsent(unsent))) return false;
  if (token) {
    await api('/api/auth/logout', { method: 'POST', token }).catch((error: unknown) => {
      // Offline: the token stays valid on the server until it expires; the device forgets it now.
      console.info('sign-out: server not reached', error);
    });
  }
  await clearReportCache();
  useSession.getState().signedOut();
  return true;
}

/** The server refused the token: wipe what the device cached of the server's data, keep the outbox. */
export async function endRevokedSession(): Promise<void> {
  if (useSession.getState().status !== 'signed-in') return;
  useSession.getState().expired();
  await clearReportCache();
}
