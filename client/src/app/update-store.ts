import { create } from 'zustand';

export interface UpdateState {
  /** Set when a new version of the app is installed and waiting; calling it switches and reloads. */
  apply: (() => void) | undefined;
  ready(apply: () => void): void;
}

/** A waiting app update (from the service worker registration in `main.tsx`). */
export const useUpdate = create<UpdateState>((set) => ({
  apply: undefined,
  ready: (apply) => set({ apply }),
}));
