import { normalizeLon } from '@truceline/shared';
import { v7 as uuidv7 } from 'uuid';
import { create } from 'zustand';
import { useOutbox } from '../outbox/outbox-store';
import { buildReportInput } from './build-report-input';
import { EMPTY_DRAFT, type DraftFields, type Fix } from './draft-fields';
import { validateForm, type FieldErrors } from './validate-draft';

const DRAFT_KEY = 'truceline.draft';

/** A half-typed report survives a reload or a closed tab (the GPS fix does not: it would be stale). */
function loadDraft(): DraftFields {
  try {
    const raw = localStorage.getItem(DRAFT_KEY);
    return raw ? { ...EMPTY_DRAFT, ...(JSON.parse(raw) as Partial<DraftFields>), gps: undefined } : EMPTY_DRAFT;
  } catch (error) {
    console.warn('draft: stored draft unreadable, starting empty', error);
    return EMPTY_DRAFT;
  }
}

function saveDraft(fields: DraftFields): void {
  if (typeof localStorage === 'undefined') return;
  const { gps: _gps, ...rest } = fields;
  localStorage.setItem(DRAFT_KEY, JSON.stringify(rest));
}

/** What the map's crosshair currently places, if anything. */
export type Picking = 'location' | 'observer' | undefined;

export interface DraftState {
  fields: DraftFields;
  errors: FieldErrors;
  /**
   * The report the last Save and send put in the outbox. While set, the form shows what became of
   * it instead of an empty form, until the monitor asks for a new report (`startNew`).
   */
  savedId: string | undefined;
  change(patch: Partial<DraftFields>): void;
  /** A position placed with the map's crosshair: the event's or the observer's, depending on the mode. */
  placed(fix: Fix): void;
  picking(): Picking;
  reset(): void;
  /** Leaves the "what happened to my report" view for an empty form. */
  startNew(): void;
  /** Validates with the shared schema and, when valid, writes the report to the outbox. */
  submit(user: { id: string; username: string }): Promise<boolean>;
}

export const useDraft = create<DraftState>((set, get) => ({
  fields: typeof localStorage === 'undefined' ? EMPTY_DRAFT : loadDraft(),
  errors: {},
  savedId: undefined,
  change(patch) {
    const fields = { ...get().fields, ...patch };
    const { errors } = get();
    // Once a field was flagged, re-check as the monitor types so the message goes away at once.
    const live = Object.keys(errors).length > 0 ? validateForm(fields, buildReportInput(fields, uuidv7(), Date.now())) : {};
    set({ fields, errors: live });
    saveDraft(fields);
  },
  placed(at) {
    // A map panned onto a neighbouring world copy reads 190° for 170° W; the schema wants [-180, 180].
    const fix = { ...at, lon: normalizeLon(at.lon) };
    // The form is closed while it shows the sent report: nothing is being placed then.
    if (get().savedId !== undefined) return;
    const mode = get().picking();
    if (mode === 'location') get().change({ tapped: fix });
    else if (mode === 'observer') get().change({ observerTapped: fix });
  },
  picking() {
    const f = get().fields;
    if (f.positionMode === 'map') return 'location';
    if (f.positionMode === 'bearing' && f.observerSource === 'map') return 'observer';
    return undefined;
  },
  reset() {
    // The GPS fix stays: it is where the monitor still is; so do the monitor's habits.
    const { gps, positionMode, distanceUnit } = get().fields;
    const fields = { ...EMPTY_DRAFT, gps, positionMode, distanceUnit };
    set({ fields, errors: {} });
    saveDraft(fields);
  },
  startNew() {
    set({ savedId: undefined });
  },
  async submit(user) {
    // The id is made here, once: every resend of this report carries it, so it is stored once.
    const id = uuidv7();
    const input = buildReportInput(get().fields, id, Date.now());
    const errors = validateForm(get().fields, input);
    if (Object.keys(errors).length > 0) {
      set({ errors });
      return false;
    }
    await useOutbox.getState().add({ ...input, id }, user);
    get().reset();
    set({ savedId: id });
    return true;
  },
}));
