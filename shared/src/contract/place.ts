import { z } from 'zod';

/**
 * Where an event is, in the words mission reports use: the nearest settlement of the server's
 * gazetteer, and the distance and bearing from that settlement to the event. `text` is the
 * ready phrase: `"3.2 km NE of Avdiivka (Donetsk Oblast)"`, or `"in Avdiivka (Donetsk Oblast)"`
 * under 1 km. Computed by the server; absent on reports stored before places existed.
 */
export const Place = z.object({
  name: z.string(),
  /** The region (first-level administrative division) by name; `null` when the gazetteer has none. */
  admin1: z.string().nullable(),
  /** ISO 3166-1 alpha-2; `null` for a mission's own entry far from any known settlement. */
  countryCode: z.string().nullable(),
  /** Great-circle metres from the settlement to the event, rounded to the metre. */
  distanceM: z.number(),
  /** True-north degrees clockwise from the settlement to the event, `[0, 360)`, one decimal. */
  bearingDeg: z.number(),
  text: z.string(),
});
export type Place = z.infer<typeof Place>;

export const PLACE_SEARCH_LIMITS = { queryMax: 100, limitDefault: 10, limitMax: 50 } as const;

/** `GET /api/places?q=&limit=`: settlements whose name starts with `q` (accents and case ignored), most populous first. */
export const PlacesQuery = z.strictObject({
  q: z.string().trim().min(1, 'type at least one letter').max(PLACE_SEARCH_LIMITS.queryMax),
  limit: z.coerce.number().int().min(1).max(PLACE_SEARCH_LIMITS.limitMax).default(PLACE_SEARCH_LIMITS.limitDefault),
});
export type PlacesQuery = z.infer<typeof PlacesQuery>;

export const PlaceMatch = z.object({
  name: z.string(),
  admin1: z.string().nullable(),
  countryCode: z.string().nullable(),
  lon: z.number(),
  lat: z.number(),
  /** `null` for a mission's entry that gave none. */
  population: z.number().nullable(),
});
export type PlaceMatch = z.infer<typeof PlaceMatch>;

export const PlacesResponse = z.object({ places: z.array(PlaceMatch) });
export type PlacesResponse = z.infer<typeof PlacesResponse>;
