import { t } from '../i18n';
import { unseenCount, useUnseen } from './unseen-store';

/** The unseen count beside a "Feed" tab, so a phone on the map learns that something came in. */
export function UnseenBadge() {
  const count = useUnseen(unseenCount);
  if (count === 0) return null;
  return (
    <span className="unseen-badge" data-testid="unseen-badge">
      <span aria-hidden="true">{count}</span>
      <span className="visually-hidden">{` (${t.unseen.badgeLabel(count)})`}</span>
    </span>
  );
}
