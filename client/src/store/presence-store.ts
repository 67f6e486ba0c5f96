import type { Presence } from '@truceline/shared';
import { create } from 'zustand';

export interface PresenceState {
  online: Presence['online'];
  updated(presence: Presence): void;
}

/** Who is online (coordinators and admins receive it). */
export const usePresence = create<PresenceState>((set) => ({
  online: [],
  updated: (presence) => set({ online: presence.online }),
}));
