import { describe, expect, it } from 'vitest';
import { en } from './en';
import { plural } from './plural';

describe('plural', () => {
  it('picks the English singular for one and the plural for everything else', () => {
    const forms = { one: '{n} report', other: '{n} reports' };
    expect([0, 1, 2, 21, 1.5].map((n) => plural('en', n, forms))).toEqual(['0 reports', '1 report', '2 reports', '21 reports', '1.5 reports']);
  });

  it('follows the Ukrainian rules a second catalogue will need (one, few, many)', () => {
    const forms = { one: '{n} звіт', few: '{n} звіти', many: '{n} звітів', other: '{n} звіту' };
    expect([1, 2, 4, 5, 11, 12, 21, 22, 25, 111].map((n) => plural('uk', n, forms))).toEqual([
      '1 звіт', '2 звіти', '4 звіти', '5 звітів', '11 звітів', '12 звітів', '21 звіт', '22 звіти', '25 звітів', '111 звітів',
    ]);
    // Fractions take `other` in Ukrainian.
    expect(plural('uk', 1.5, forms)).toBe('1,5 звіту');
  });

  it('falls back to `other` for a form the message does not give, and formats the number for the language', () => {
    expect(plural('uk', 3, { one: '{n} звіт', other: 'звітів: {n}' })).toBe('звітів: 3');
    expect(plural('en', 12345, { one: '{n} report', other: '{n} reports' })).toBe('12,345 reports');
  });

  it('makes the export status agree with its count', () => {
    expect(en.exporter.done(1)).toBe('Exported 1 report.');
    expect(en.exporter.done(3)).toBe('Exported 3 reports.');
    expect(en.exporter.done(0)).toBe('Exported 0 reports.');
  });
});
