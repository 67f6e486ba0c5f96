import { beforeEach, describe, expect, it } from 'vitest';
import { EMPTY_DRAFT } from './draft-fields';
import { useDraft } from './draft-store';

describe('a tap on the map', () => {
  beforeEach(() => useDraft.setState({ fields: EMPTY_DRAFT, errors: {} }));

  it.each([
    ['the world copy to the east', 190, -170],
    ['the world copy to the west', -190.5, 169.5],
    ['the main world', 37.7, 37.7],
  ])('on %s sets a longitude the contract accepts', (_name, tapped, expected) => {
    useDraft.getState().change({ positionMode: 'map' });
    useDraft.getState().mapTapped({ lon: tapped, lat: 10, accuracyM: 5 });
    expect(useDraft.getState().fields.tapped).toEqual({ lon: expected, lat: 10, accuracyM: 5 });
  });

  it('sets the observer the same way while the observer is being picked', () => {
    useDraft.getState().change({ positionMode: 'bearing', observerSource: 'map' });
    useDraft.getState().mapTapped({ lon: 540, lat: -16 });
    expect(useDraft.getState().fields.observerTapped).toEqual({ lon: -180, lat: -16 });
  });
});
