import { Component, type ReactNode } from 'react';
import { t } from '../i18n';

interface State {
  failed: boolean;
}

/**
 * Catches a lazily loaded chunk that could not be fetched (the link dropped before the service
 * worker had it) and offers a reload instead of leaving an empty page. A failed `import()` is
 * remembered by React.lazy, so trying again means loading the page again.
 */
export class ChunkBoundary extends Component<{ children: ReactNode; className?: string }, State> {
  override state: State = { failed: false };

  static getDerivedStateFromError(): State {
    return { failed: true };
  }

  override render(): ReactNode {
    if (!this.state.failed) return this.props.children;
    return (
      <div className={this.props.className} role="alert">
        <p>{t.app.chunkFailed}</p>
        <button type="button" onClick={() => location.reload()}>{t.app.reload}</button>
      </div>
    );
  }
}
