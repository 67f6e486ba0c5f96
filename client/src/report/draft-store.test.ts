import 'fake-indexeddb/auto';
import { beforeEach, describe, expect, it } from 'vitest';
import { useOutbox } from '../outbox/outbox-store';
import { draftHasContent, EMPTY_DRAFT } from './draft-fields';
import { useDraft } from './draft-store';

describe('a position placed on the map', () => {
  beforeEach(() => useDraft.setState({ fields: EMPTY_DRAFT, errors: {} }));

  it.each([
    ['the world copy to the east', 190, -170],
    ['the world copy to the west', -190.5, 169.5],
    ['the main world', 37.7, 37.7],
  ])('on %s sets a longitude the contract accepts', (_name, lon, expected) => {
    useDraft.getState().change({ positionMode: 'map' });
    useDraft.getState().placed({ lon, lat: 10, accuracyM: 5 });
    expect(useDraft.getState().fields.tapped).toEqual({ lon: expected, lat: 10, accuracyM: 5 });
  });

  it('sets the observer the same way while the observer is being picked', () => {
    useDraft.getState().change({ positionMode: 'bearing', observerSource: 'map' });
    useDraft.getState().placed({ lon: 540, lat: -16 });
    expect(useDraft.getState().fields.observerTapped).toEqual({ lon: -180, lat: -16 });
  });
});

describe('after Save and send', () => {
  const USER = { id: 'u1', username: 'monitor1' };
  beforeEach(() =>
    useDraft.setState({
      fields: { ...EMPTY_DRAFT, category: 'shelling', method: 'heard', positionMode: 'map', tapped: { lon: 37.8, lat: 48 }, distanceUnit: 'km' },
      errors: {},
      savedId: undefined,
    }),
  );

  it('keeps pointing at the report it saved until the monitor asks for a new one', async () => {
    expect(await useDraft.getState().submit(USER)).toBe(true);
    const id = useDraft.getState().savedId;
    expect(id).toBeDefined();
    expect(useOutbox.getState().items[id ?? '']?.state).toBe('saved');
    // Nothing is placed while the sent report is shown: no report starts behind it.
    useDraft.getState().placed({ lon: 37.9, lat: 48.1 });
    expect(useDraft.getState().savedId).toBe(id);
    expect(useDraft.getState().fields.tapped).toBeUndefined();
    // The emptied draft keeps the monitor's unit.
    expect(useDraft.getState().fields.distanceUnit).toBe('km');
    useDraft.getState().startNew();
    expect(useDraft.getState().savedId).toBeUndefined();
  });

  it('saves nothing and keeps the draft when a field is missing', async () => {
    useDraft.getState().change({ method: undefined });
    const before = Object.keys(useOutbox.getState().items).length;
    expect(await useDraft.getState().submit(USER)).toBe(false);
    expect(useDraft.getState().errors.method).toEqual(['Choose one.']);
    expect(useDraft.getState().savedId).toBeUndefined();
    expect(useDraft.getState().fields.category).toBe('shelling');
    expect(Object.keys(useOutbox.getState().items)).toHaveLength(before);
  });
});

describe('whether a draft has content to lose', () => {
  it('is empty when only settings and the GPS fix are set', () => {
    expect(draftHasContent(EMPTY_DRAFT)).toBe(false);
    expect(draftHasContent({ ...EMPTY_DRAFT, positionMode: 'bearing', distanceUnit: 'km', bearingUnit: 'mil', gps: { lon: 37, lat: 48 } })).toBe(false);
  });

  it.each([
    ['a category', { category: 'shelling' as const }],
    ['a tapped point', { tapped: { lon: 37, lat: 48 } }],
    ['a typed bearing', { bearingFrom: '40' }],
    ['a description', { description: 'two impacts' }],
    ['a set time', { timeMode: 'set' as const }],
    ['a changed confidence', { confidence: 'high' as const }],
  ])('has content with %s', (_name, patch) => {
    expect(draftHasContent({ ...EMPTY_DRAFT, ...patch })).toBe(true);
  });
});
