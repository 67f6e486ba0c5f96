import { useEffect } from 'react';
import { isUnsent } from '../outbox/outbox-machine';
import { useOutbox } from '../outbox/outbox-store';
import { useFilters } from '../store/filters-store';
import { t } from '../i18n';

/** Asks the browser not to evict the outbox and cache under storage pressure. */
async function requestPersistence(): Promise<void> {
  if (!navigator.storage?.persist) return;
  const persisted = (await navigator.storage.persisted()) || (await navigator.storage.persist());
  if (!persisted) console.info(t.connection.persistDenied);
}

/**
 * What runs whether or not anyone is signed in: the outbox is read (sign-in names whose unsent
 * reports it holds), storage is kept, and closing the page while reports are unsent asks first.
 */
export function useDeviceRuntime(): void {
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
}
