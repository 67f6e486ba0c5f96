import { describe, expect, it } from 'vitest';
import { parseRfc3339 } from './time.js';

describe('parseRfc3339', () => {
  it.each([
    ['2026-03-01T14:05:00Z', Date.UTC(2026, 2, 1, 14, 5, 0)],
    ['2026-03-01t14:05:00z', Date.UTC(2026, 2, 1, 14, 5, 0)],
    ['2026-03-01T16:05:00+02:00', Date.UTC(2026, 2, 1, 14, 5, 0)],
    ['2026-03-01T09:35:00-04:30', Date.UTC(2026, 2, 1, 14, 5, 0)],
    ['2026-03-01T14:05:00.123Z', Date.UTC(2026, 2, 1, 14, 5, 0, 123)],
    ['2026-03-01T14:05:00.123456789Z', Date.UTC(2026, 2, 1, 14, 5, 0, 123)],
    ['2024-02-29T00:00:00Z', Date.UTC(2024, 1, 29)],
    ['2026-01-01T00:30:00+01:00', Date.UTC(2025, 11, 31, 23, 30)],
  ])('reads %s', (text, expected) => {
    expect(parseRfc3339(text)).toBe(expected);
  });

  it.each([
    ['no seconds', '2026-03-01T14:05Z'],
    ['no offset (local time differs per device)', '2026-03-01T14:05:00'],
    ['date only', '2026-03-01'],
    ['30 February', '2026-02-30T00:00:00Z'],
    ['29 February of a common year', '2025-02-29T00:00:00Z'],
    ['month 13', '2026-13-01T00:00:00Z'],
    ['hour 24', '2026-03-01T24:00:00Z'],
    ['second 60', '2026-03-01T23:59:60Z'],
    ['offset hour 24', '2026-03-01T10:00:00+24:00'],
    ['offset without colon', '2026-03-01T10:00:00+0200'],
    ['space instead of T', '2026-03-01 10:00:00Z'],
    ['trailing text', '2026-03-01T10:00:00Zjunk'],
    ['epoch number as text', '1700000000'],
    ['empty', ''],
  ])('refuses %s', (_why, text) => {
    expect(parseRfc3339(text)).toBeUndefined();
  });
});
