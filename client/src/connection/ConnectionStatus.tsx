import { useConnection, CLOCK_SKEW_WARN_MS } from '../store/connection-store';
import { t } from '../i18n';

const timeFormat = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit', hour12: false });

/** Always visible: online / reconnecting (attempt n) / offline, and when the device last caught up. */
export function ConnectionStatus() {
  const status = useConnection((s) => s.status);
  const attempt = useConnection((s) => s.attempt);
  const lastSyncedAt = useConnection((s) => s.lastSyncedAt);
  const arrived = useConnection((s) => s.catchUpArrived);
  const label =
    status === 'online' ? t.connection.online
    : status === 'offline' ? t.connection.offline
    : status === 'reconnecting' && attempt > 0 ? t.connection.reconnecting(attempt)
    : t.connection.connecting;
  return (
    <div className="connection" data-status={status} role="status" aria-live="polite" data-testid="connection">
      <span className="dot" aria-hidden="true" />
      <span>{label}</span>
      <span className="muted">
        · {arrived > 0 ? t.connection.catchingUp(arrived) : lastSyncedAt ? t.connection.lastSynced(timeFormat.format(lastSyncedAt)) : t.connection.neverSynced}
      </span>
    </div>
  );
}

/** A device clock minutes off the server's makes report times wrong; say so plainly. */
export function ClockSkewWarning() {
  const skew = useConnection((s) => s.clockSkewMs);
  if (Math.abs(skew) < CLOCK_SKEW_WARN_MS) return null;
  return <p className="banner warning" role="alert">{t.connection.clockSkew(Math.round(Math.abs(skew) / 60_000))}</p>;
}
