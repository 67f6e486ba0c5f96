import { useUi } from '../store/ui-store';
import { useDraft } from './draft-store';

/** "New report" anywhere: an empty form, even if the panel still shows the last report sent. */
export function openNewReport(): void {
  useDraft.getState().startNew();
  useUi.getState().openPanel('form');
}
