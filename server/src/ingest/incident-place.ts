import type { PlaceOf } from '../places/places.js';
import type { CommitBatch } from '../storage/store.js';

/**
 * Gives every incident state a commit writes the place of its location. Done here, on the
 * summaries the grouping produced, so grouping stays pure geometry and time and knows nothing
 * of gazetteers; the place follows the location wherever it moves (centroid or triangulated fix).
 */
export function withIncidentPlaces(batch: CommitBatch, placeOf: PlaceOf | undefined): CommitBatch {
  if (!placeOf || batch.incidents.length === 0) return batch;
  return {
    ...batch,
    incidents: batch.incidents.map((incident) => {
      const place = placeOf(incident.location);
      return place ? { ...incident, place } : incident;
    }),
  };
}
