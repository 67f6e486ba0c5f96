// The history the benchmarks replay: reports at a steady density along the front (1,000,000
// over three years ≈ 913 a day), generated event by event. Event k depends only on k, so any
// stretch of the stream can be generated again without replaying what came before.
import { makeEvent, makeInput, rng } from './front.mjs';

export const PER_DAY = 1_000_000 / (3 * 365);
const DAY = 86_400_000;
/** On average two monitors report each event (1–3). */
const REPORTS_PER_EVENT = 2;
export const EVENT_GAP_MS = DAY / (PER_DAY / REPORTS_PER_EVENT);
/** The number of reporting monitor accounts (bench-monitor-0 … 49). */
export const REPORTERS = 50;

function mix(k) {
  let h = Math.imul(k ^ 0x9e3779b9, 0x85ebca6b);
  h ^= h >>> 13;
  return Math.imul(h, 0xc2b2ae35) >>> 0;
}

/**
 * Reports of event `k` in a history whose first event is at `startMs`, as
 * `{input, reporter, receivedAtMs}`; `newId(ms)` makes the time-ordered id.
 */
export function eventReports(k, startMs, newId) {
  const r = rng(mix(k));
  const event = makeEvent(r, Math.floor((startMs + k * EVENT_GAP_MS + r() * EVENT_GAP_MS) / 1000) * 1000);
  const n = 1 + Math.floor(r() * 3);
  const out = [];
  const seen = new Set();
  for (let i = 0; i < n; i++) {
    let reporter = Math.floor(r() * REPORTERS);
    while (seen.has(reporter)) reporter = (reporter + 1) % REPORTERS;
    seen.add(reporter);
    const input = makeInput(r, event, '');
    const observedMs = Date.parse(input.observedAt);
    input.id = newId(observedMs + Math.floor(r() * 600_000));
    out.push({ input, reporter, receivedAtMs: observedMs + 60_000 + Math.floor(r() * 1_800_000) });
  }
  return out;
}

/** The first event's time for a history of `reports` reports that ends at `endMs`. */
export function historyStart(reports, endMs) {
  return endMs - (reports / REPORTS_PER_EVENT) * EVENT_GAP_MS;
}
