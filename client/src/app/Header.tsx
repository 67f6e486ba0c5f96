import { useMemo } from 'react';
import { ConnectionStatus } from '../connection/ConnectionStatus';
import { t } from '../i18n';
import { isUnsent } from '../outbox/outbox-machine';
import { useOutbox } from '../outbox/outbox-store';
import { signOut } from '../session/session-actions';
import { useSession } from '../session/session-store';
import { useUi } from '../store/ui-store';

export function Header() {
  const user = useSession((s) => s.user);
  const theme = useUi((s) => s.theme);
  const items = useOutbox((s) => s.items);
  const unsent = useMemo(() => Object.values(items).filter((i) => i.userId === user?.id && isUnsent(i)).length, [items, user]);
  return (
    <header className="top">
      <strong className="brand">{t.app.name}</strong>
      <ConnectionStatus />
      {unsent > 0 && (
        <button type="button" className="badge" onClick={() => useUi.getState().openPanel('outbox')} data-testid="unsent-badge">
          {t.outbox.unsent(unsent)}
        </button>
      )}
      <span className="spacer" />
      <button
        type="button"
        className="icon"
        aria-label={t.app.themeToggle}
        title={t.app.themeToggle}
        onClick={() => useUi.getState().setTheme(theme === 'dark' ? 'light' : 'dark')}
      >
        {theme === 'dark' ? t.app.lightIcon : t.app.darkIcon}
      </button>
      <span className="user" title={user?.role}>{user?.username}</span>
      <button type="button" onClick={() => void signOut()}>{t.app.signOut}</button>
    </header>
  );
}
