import { z } from 'zod';
import { Place } from './place.js';
import {
  Assessment,
  Category,
  Confidence,
  CountUnit,
  Method,
  ReportStatus,
  Weapon,
} from './taxonomy.js';
import { sectorWidthDeg } from '../geo/angles.js';
import { DateTimeInput, DateTimeOutput, parseRfc3339 } from './time.js';

/** Limits written in the contract, named once so messages and checks agree. */
export const REPORT_LIMITS = {
  maxBodyBytes: 16 * 1024,
  maxDescriptionChars: 2000,
  maxFutureMs: 5 * 60_000,
  earliestObservedAt: Date.UTC(2000, 0, 1),
  maxWindowMs: 24 * 3_600_000,
  maxDistanceM: 50_000,
  maxSectorDeg: 180,
  maxCount: 100_000,
  maxAccuracyM: 100_000,
  maxCasualties: 100_000,
} as const;

/** Any RFC 9562 UUID; lower-cased so the idempotency key does not depend on letter case. */
export const ReportId = z.uuid({ message: 'must be a UUID (RFC 9562)' }).transform((s) => s.toLowerCase());

const Lon = z.number().min(-180, 'longitude must be within [-180, 180]').max(180, 'longitude must be within [-180, 180]');
const Lat = z.number().min(-90, 'latitude must be within [-90, 90]').max(90, 'latitude must be within [-90, 90]');
const AccuracyM = z.number().min(0).max(REPORT_LIMITS.maxAccuracyM);
const Degrees = z.number().min(0).lt(360, 'degrees must be in [0, 360)');

export const LOCATION_SOURCES = ['gps', 'map', 'mgrs'] as const;

export const LocationInput = z.strictObject({
  lon: Lon,
  lat: Lat,
  accuracyM: AccuracyM.optional(),
  source: z.enum(LOCATION_SOURCES).optional(),
});
export type LocationInput = z.infer<typeof LocationInput>;

export const ObserverInput = z.strictObject({ lon: Lon, lat: Lat, accuracyM: AccuracyM.optional() });
export type ObserverInput = z.infer<typeof ObserverInput>;

export const BearingInput = z.strictObject({
  fromDeg: Degrees,
  toDeg: Degrees,
  reference: z.enum(['true', 'magnetic']),
});
export type BearingInput = z.infer<typeof BearingInput>;

export const DistanceInput = z
  .strictObject({
    min: z.number().gt(0, 'must be more than 0 m').max(REPORT_LIMITS.maxDistanceM),
    max: z.number().gt(0, 'must be more than 0 m').max(REPORT_LIMITS.maxDistanceM, 'must be at most 50000 m'),
  })
  .refine((d) => d.min <= d.max, { message: 'min must not exceed max', path: ['max'] });
export type DistanceInput = z.infer<typeof DistanceInput>;

const Casualties = z.strictObject({
  killed: z.number().int().min(0).max(REPORT_LIMITS.maxCasualties),
  injured: z.number().int().min(0).max(REPORT_LIMITS.maxCasualties),
});

// Lone surrogates (with the `u` flag a valid pair is one code point, so only lone halves match).
const LONE_SURROGATE = /\p{Cs}/u;

const Description = z.string().superRefine((text, ctx) => {
  if (text.includes('\u0000')) ctx.addIssue({ code: 'custom', message: 'must not contain U+0000' });
  if (LONE_SURROGATE.test(text)) ctx.addIssue({ code: 'custom', message: 'must be well-formed Unicode' });
  // Counted in code points, as a person counts characters, not UTF-16 units.
  let chars = 0;
  for (const _ of text) chars++;
  if (chars > REPORT_LIMITS.maxDescriptionChars) {
    ctx.addIssue({ code: 'custom', message: `must be at most ${REPORT_LIMITS.maxDescriptionChars} characters (has ${chars})` });
  }
});

/**
 * What a monitor submits. Parsing normalises: times to UTC, the id to lower case,
 * `countUnit` and `confidence` to their defaults. Two submissions are "the same content"
 * when their parsed values are equal, which is what makes retries idempotent.
 * Rules that depend on the clock (not in the future) use the parsing machine's clock.
 */
export const ReportInput = z
  .strictObject({
    id: ReportId,
    category: Category,
    observedAt: DateTimeInput,
    observedUntil: DateTimeInput.optional(),
    location: LocationInput.optional(),
    observer: ObserverInput.optional(),
    bearing: BearingInput.optional(),
    distanceM: DistanceInput.optional(),
    assessment: Assessment.optional(),
    weapon: Weapon.optional(),
    method: Method,
    count: z.number().int().min(1).max(REPORT_LIMITS.maxCount).optional(),
    countUnit: CountUnit.default('explosions'),
    countApprox: z.boolean().optional(),
    casualties: Casualties.optional(),
    confidence: Confidence.default('medium'),
    description: Description.optional(),
    supersedes: ReportId.optional(),
  })
  .superRefine((r, ctx) => {
    const at = parseRfc3339(r.observedAt);
    if (at !== undefined) {
      if (at > Date.now() + REPORT_LIMITS.maxFutureMs) {
        ctx.addIssue({ code: 'custom', path: ['observedAt'], message: 'must not be more than 5 minutes in the future (check the device clock)' });
      }
      if (at < REPORT_LIMITS.earliestObservedAt) {
        ctx.addIssue({ code: 'custom', path: ['observedAt'], message: 'must not be before 2000-01-01' });
      }
      const until = r.observedUntil === undefined ? undefined : parseRfc3339(r.observedUntil);
      if (until !== undefined && until < at) {
        ctx.addIssue({ code: 'custom', path: ['observedUntil'], message: 'must not be before observedAt' });
      } else if (until !== undefined && until - at > REPORT_LIMITS.maxWindowMs) {
        ctx.addIssue({ code: 'custom', path: ['observedUntil'], message: 'must be at most 24 hours after observedAt' });
      }
    }
    if (r.bearing && sectorWidthDeg(r.bearing.fromDeg, r.bearing.toDeg) > REPORT_LIMITS.maxSectorDeg) {
      ctx.addIssue({ code: 'custom', path: ['bearing', 'toDeg'], message: 'a bearing sector must be at most 180° wide (it runs clockwise from fromDeg to toDeg)' });
    }
    if (!r.location) {
      const missing = (['observer', 'bearing', 'distanceM'] as const).filter((k) => r[k] === undefined);
      if (missing.length > 0) {
        ctx.addIssue({
          code: 'custom',
          path: missing.length === 3 ? ['location'] : [missing[0] as string],
          message:
            missing.length === 3
              ? 'give a location, or an observer position with a bearing and a distance'
              : `without a location, ${missing.join(', ')} must be given too`,
        });
      }
    }
    if (r.supersedes !== undefined && r.supersedes === r.id) {
      ctx.addIssue({ code: 'custom', path: ['supersedes'], message: 'a report cannot supersede itself' });
    }
  });
/** A parsed, normalised `ReportInput` (the output of the schema). */
export type ReportInput = z.output<typeof ReportInput>;
/** What a client may send before parsing (defaults not yet applied). */
export type ReportInputDraft = z.input<typeof ReportInput>;

export const Position = z.object({ lon: z.number(), lat: z.number() });
export type Position = z.infer<typeof Position>;

export const ReportReview = z.object({ at: DateTimeOutput, note: z.string().optional() });
export type ReportReview = z.infer<typeof ReportReview>;

export const ReporterRef = z.object({ id: z.string(), username: z.string() });
export type ReporterRef = z.infer<typeof ReporterRef>;

/**
 * A stored report as the server sends it. Not strict: clients ignore fields they do not
 * know, so the server can add some later. `reporter`, `observer`, `bearing`, `bearingTrue`,
 * `distanceM` and `review` reach only coordinators, admins and the reporter: from a bearing and a
 * distance anyone could walk back from the event to where the monitor stood.
 */
export const Report = z.object({
  id: z.string(),
  category: Category,
  observedAt: DateTimeOutput,
  observedUntil: DateTimeOutput.optional(),
  location: z.object({
    lon: z.number(),
    lat: z.number(),
    accuracyM: z.number().optional(),
    source: z.enum(LOCATION_SOURCES).optional(),
  }),
  observer: z.object({ lon: z.number(), lat: z.number(), accuracyM: z.number().optional() }).optional(),
  bearing: z.object({ fromDeg: z.number(), toDeg: z.number(), reference: z.enum(['true', 'magnetic']) }).optional(),
  distanceM: z.object({ min: z.number(), max: z.number() }).optional(),
  assessment: Assessment.optional(),
  weapon: Weapon.optional(),
  method: Method,
  count: z.number().optional(),
  countUnit: CountUnit,
  countApprox: z.boolean().optional(),
  casualties: z.object({ killed: z.number(), injured: z.number() }).optional(),
  confidence: Confidence,
  description: z.string().optional(),
  supersedes: z.string().optional(),
  locationMethod: z.enum(['direct', 'bearing']),
  uncertaintyM: z.number(),
  bearingTrue: z.object({ fromDeg: z.number(), toDeg: z.number() }).optional(),
  reporter: ReporterRef.optional(),
  receivedAt: DateTimeOutput,
  status: ReportStatus,
  /** `null` while the report is rejected: rejected reports belong to no incident. */
  incidentId: z.string().nullable(),
  /**
   * Set once a later correction from the same account supersedes this report: it then belongs
   * to no incident (`incidentId: null`) and leaves area counts; the correction counts instead.
   */
  supersededBy: z.string().optional(),
  areaId: z.string(),
  seq: z.number(),
  /** Nearest settlement, distance and bearing (issue 10); reports stored before it have none. */
  place: Place.optional(),
  /**
   * The latest review (issue 11): when the status was last set and the coordinator's note, if
   * any. Reaches coordinators, admins and the reporter only; never who reviewed.
   */
  review: ReportReview.optional(),
});
export type Report = z.infer<typeof Report>;

/**
 * Fields a viewer who is neither coordinator nor the reporter never receives. `review` is among
 * them: a coordinator writes the note to the reporter and may name them or where they stood
 * ("your bearing from the school crosses the river"), which is just what the others are spared.
 */
export const PRIVATE_REPORT_FIELDS = ['reporter', 'observer', 'bearing', 'bearingTrue', 'distanceM', 'review'] as const satisfies readonly (keyof Report)[];
