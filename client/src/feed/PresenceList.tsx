import { ROLE_LABELS, ROLES } from '@truceline/shared';
import { t } from '../i18n';
import { usePresence } from '../store/presence-store';

/** Who is online, by role (coordinators and admins receive presence). */
export function PresenceList() {
  const online = usePresence((s) => s.online);
  return (
    <details className="presence">
      <summary>{t.presence.title} <span className="count">{online.length}</span></summary>
      {online.length === 0 && <p className="muted">{t.presence.nobody}</p>}
      {ROLES.map((role) => {
        const people = online.filter((p) => p.role === role);
        if (people.length === 0) return null;
        return (
          <div key={role}>
            <h3>{ROLE_LABELS[role]}</h3>
            <ul>{people.map((p) => <li key={p.userId}>{p.username}</li>)}</ul>
          </div>
        );
      })}
    </details>
  );
}
