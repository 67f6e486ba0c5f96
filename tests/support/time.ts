/** `ms` as RFC 3339 with whole seconds in UTC (`…Z`), the form most clients send. */
export function isoSeconds(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** The same instant as `ms`, written in a local offset such as `+02:00` (`offsetMin` east of UTC). */
export function isoWithOffset(ms: number, offsetMin: number): string {
  const local = new Date(ms + offsetMin * 60_000).toISOString().slice(0, 19);
  const sign = offsetMin < 0 ? '-' : '+';
  const abs = Math.abs(offsetMin);
  return `${local}${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
}

/** Now, minus `minutes`, rounded down to a whole second (so it prints without a fraction). */
export function minutesAgo(minutes: number): number {
  return Math.floor((Date.now() - minutes * 60_000) / 1000) * 1000;
}
