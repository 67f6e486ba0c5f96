import type { LoginResponse } from '@truceline/shared';
import { useMemo, useState, type FormEvent } from 'react';
import { t } from '../i18n';
import { useOutbox } from '../outbox/outbox-store';
import { isUnsent } from '../outbox/outbox-machine';
import { useSession } from './session-store';

/** The sign-in screen; also shown when a session expired (unsent reports stay on the device). */
export function SignIn() {
  const status = useSession((s) => s.status);
  const previous = useSession((s) => s.user);
  const items = useOutbox((s) => s.items);
  const [username, setUsername] = useState(previous?.username ?? '');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | undefined>();
  const holders = useMemo(() => [...new Set(Object.values(items).filter(isUnsent).map((i) => i.username))], [items]);

  const submit = async (event: FormEvent): Promise<void> => {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    let net: typeof import('../net/api') | undefined;
    try {
      // The request module brings the contract's schemas (zod, half of what the page would
      // load): fetched on the first tap, not before the form can be drawn. Offline and not yet
      // cached, that fetch fails like the request would.
      net = await import('../net/api');
      const answer = await net.api<LoginResponse>('/api/auth/login', { method: 'POST', body: { username: username.trim(), password } });
      useSession.getState().signedIn(answer.token, answer.user);
    } catch (failure) {
      setError(net && failure instanceof net.ApiFailure && failure.error.code !== 'network' ? failure.error.message : t.signIn.offline);
    } finally {
      setBusy(false);
    }
  };

  return (
    <main className="sign-in" id="main">
      <form onSubmit={(e) => void submit(e)} className="sign-in-card" aria-labelledby="sign-in-title">
        <h1 id="sign-in-title">{t.signIn.title}</h1>
        {status === 'expired' && <p className="notice">{t.signIn.expired}</p>}
        {holders.map((name) => (
          <p className="notice" key={name}>{t.signIn.heldFor(name)}</p>
        ))}
        <label>
          {t.signIn.username}
          <input name="username" autoComplete="username" autoCapitalize="none" required value={username} onChange={(e) => setUsername(e.target.value)} />
        </label>
        <label>
          {t.signIn.password}
          <input name="password" type="password" autoComplete="current-password" required value={password} onChange={(e) => setPassword(e.target.value)} />
        </label>
        {error && <p className="error" role="alert">{error}</p>}
        <button type="submit" className="primary" disabled={busy}>{busy ? t.signIn.busy : t.signIn.submit}</button>
      </form>
    </main>
  );
}
