import { describe, expect, it } from 'vitest';
import { CATEGORIES, CATEGORY_LABELS, categoriesCompatible } from './taxonomy.js';

describe('categoriesCompatible', () => {
  it('is reflexive and symmetric over every pair', () => {
    for (const a of CATEGORIES) {
      expect(categoriesCompatible(a, a)).toBe(true);
      for (const b of CATEGORIES) expect(categoriesCompatible(a, b)).toBe(categoriesCompatible(b, a));
    }
  });

  it.each([
    ['shelling', 'explosion', true],
    ['air_drone_strike', 'drone_sighting', true],
    ['small_arms_fire', 'armed_clash', true],
    ['explosion', 'civilian_harm', true],
    ['shelling', 'small_arms_fire', false],
    ['monitor_restriction', 'shelling', false],
    ['heavy_weapons', 'explosion', false],
    ['other', 'explosion', false],
  ] as const)('%s with %s: %s', (a, b, expected) => {
    expect(categoriesCompatible(a, b)).toBe(expected);
  });

  it('labels every category', () => {
    for (const c of CATEGORIES) expect(CATEGORY_LABELS[c]).toMatch(/\S/);
  });
});
