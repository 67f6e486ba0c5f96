import { describe, expect, it } from 'vitest';
import { formatDistanceInput, parseDistance } from './distance';

describe('a distance as typed', () => {
  it.each([
    ['2500', 'm', 2500],
    ['2500', 'km', 2_500_000],
    ['2.5', 'km', 2500],
    ['2,5', 'km', 2500],
    ['2.5 km', 'm', 2500],
    ['2.5km', 'm', 2500],
    ['2.5 KM', 'm', 2500],
    ['2500 m', 'km', 2500],
    ['2500m', 'm', 2500],
    ['2 500 m', 'm', 2500],
    ['1,2 км', 'm', 1200],
    ['800 м', 'km', 800],
    ['.5 km', 'm', 500],
    ['  300  ', 'm', 300],
    ['0.3', 'km', 300],
    ['2.3', 'km', 2300],
    ['12.5', 'm', 13],
  ] as const)('reads %j (bare numbers in %s) as %d m', (text, unit, metres) => {
    expect(parseDistance(text, unit)).toBe(metres);
  });

  it('tells blank (not given) from text that is not a distance', () => {
    expect(parseDistance('', 'm')).toBeUndefined();
    expect(parseDistance('   ', 'km')).toBeUndefined();
    for (const text of ['far', '2.5 miles', '-200', '2..5', 'km', '2.5 km m', '1e3']) expect(parseDistance(text, 'm')).toBeNaN();
  });

  it('writes a slider position back in the unit shown', () => {
    expect(formatDistanceInput(2500, 'm')).toBe('2500');
    expect(formatDistanceInput(2500, 'km')).toBe('2.5');
    expect(formatDistanceInput(50, 'km')).toBe('0.05');
    expect(parseDistance(formatDistanceInput(2350, 'km'), 'km')).toBe(2350);
  });
});
