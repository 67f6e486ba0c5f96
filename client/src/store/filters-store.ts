import { create } from 'zustand';
import { DEFAULT_FILTERS, type Filters } from './filters';

export interface FiltersState extends Filters {
  /** Ticks every minute so relative windows ("last hour") move on without a reload. */
  now: number;
  update(patch: Partial<Filters>): void;
  tick(now: number): void;
}

export const useFilters = create<FiltersState>((set) => ({
  ...DEFAULT_FILTERS,
  now: Date.now(),
  update: (patch) => set({ ...patch, now: Date.now() }),
  tick: (now) => set({ now }),
}));
