import { z } from 'zod';
import { Category } from './taxonomy.js';
import { Position } from './report.js';

/** H3 resolution of area cells (about 5 km² each: a village and its fields). */
export const AREA_H3_RESOLUTION = 7;

export const Area = z.object({
  /** The H3 cell index: stable across deployments, so exports from two servers line up. */
  id: z.string(),
  seq: z.number(),
  center: Position,
  count: z.number(),
  byCategory: z.partialRecord(Category, z.number()),
  lastObservedAt: z.string(),
});
export type Area = z.infer<typeof Area>;
