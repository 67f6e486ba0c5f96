import { z } from 'zod';

const RFC3339 =
  /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(\.\d{1,9})?(?:([Zz])|([+-])(\d{2}):(\d{2}))$/;

/**
 * Parses an RFC 3339 date-time that has seconds and an explicit offset, and returns the
 * instant in epoch milliseconds, or `undefined` for anything else. `Date.parse` alone
 * accepts dates without offsets (read as local time, which differs between a monitor's
 * phone and the server) and rolls `02-30` over into March, so both are checked here.
 */
export function parseRfc3339(text: string): number | undefined {
  const m = RFC3339.exec(text);
  if (!m) return undefined;
  const [year, month, day, hour, minute, second] = m.slice(1, 7).map(Number) as [number, number, number, number, number, number];
  if (month < 1 || month > 12 || day < 1 || hour > 23 || minute > 59 || second > 59) return undefined;
  const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate();
  if (day > daysInMonth) return undefined;
  let offsetMin = 0;
  if (!m[8]) {
    const oh = Number(m[10]);
    const om = Number(m[11]);
    if (oh > 23 || om > 59) return undefined;
    offsetMin = (m[9] === '-' ? -1 : 1) * (oh * 60 + om);
  }
  const fraction = m[7] ? Math.floor(Number(`0${m[7]}`) * 1000) : 0;
  return Date.UTC(year, month - 1, day, hour, minute, second, fraction) - offsetMin * 60_000;
}

/** Canonical output form of every time on the wire: RFC 3339 in UTC with milliseconds. */
export function toUtcIso(ms: number): string {
  return new Date(ms).toISOString();
}

/** An RFC 3339 date-time (seconds and offset required), normalised to UTC `…Z`. */
export const DateTimeInput = z.string().max(40).transform((text, ctx) => {
  const ms = parseRfc3339(text);
  if (ms === undefined) {
    ctx.addIssue({
      code: 'custom',
      message: 'must be an RFC 3339 date-time with seconds and an offset, e.g. 2026-03-01T14:05:00Z',
    });
    return z.NEVER;
  }
  return toUtcIso(ms);
});

/** A time as the server sends it: RFC 3339 in UTC. */
export const DateTimeOutput = z.string();
