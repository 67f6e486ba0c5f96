import { Suspense, lazy, useEffect } from 'react';
import { useSession } from '../session/session-store';
import { SignIn } from '../session/SignIn';
import { useDeviceRuntime } from '../session/use-device-runtime';
import { useUi } from '../store/ui-store';
import { t } from '../i18n';
import { ChunkBoundary } from './ChunkBoundary';

// Everything behind sign-in (the live connection, feed, form, map) is a chunk of its own: on a
// weak link the sign-in page is what a monitor waits for, so it carries only itself. A page that
// opens signed in asks for that chunk at once, before React first renders.
const loadSignedIn = () => import('./SignedInApp').then((m) => ({ default: m.SignedInApp }));
// A failure here is not lost: React.lazy makes the same import and ChunkBoundary shows it.
if (useSession.getState().status === 'signed-in') loadSignedIn().catch(() => undefined);
const SignedInApp = lazy(loadSignedIn);

/** The whole app: sign-in, or the signed-in app. */
export function App() {
  useDeviceRuntime();
  const status = useSession((s) => s.status);
  const theme = useUi((s) => s.theme);

  useEffect(() => {
    document.documentElement.dataset.theme = theme;
  }, [theme]);

  // Escape closes a report's detail, wherever the focus is.
  useEffect(() => {
    const onKey = (event: KeyboardEvent): void => {
      if (event.key === 'Escape' && useUi.getState().selectedId) useUi.getState().select(undefined);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  if (status !== 'signed-in') return <SignIn />;
  return (
    <ChunkBoundary className="sign-in">
      <Suspense
        fallback={
          <main className="sign-in">
            <p role="status">{t.app.opening}</p>
          </main>
        }
      >
        <SignedInApp />
      </Suspense>
    </ChunkBoundary>
  );
}
