const dateTime = new Intl.DateTimeFormat(undefined, { month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit', hour12: false });

/** A report time in the viewer's zone, short enough for a feed row. */
export function formatTime(iso: string): string {
  return dateTime.format(new Date(iso));
}
