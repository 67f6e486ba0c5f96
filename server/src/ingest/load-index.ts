import { v7 as uuidv7 } from 'uuid';
import { type GroupingConfig, IncidentIndex } from '../grouping/index.js';
import type { Store } from '../storage/store.js';

/**
 * Rebuilds the in-memory incident index from the store at start (and after a failed
 * commit). Members go back under their stored incident ids; nothing is re-decided, so a
 * restart changes no incident.
 */
export async function loadIncidentIndex(store: Store, config: GroupingConfig): Promise<IncidentIndex> {
  const index = new IncidentIndex(config, uuidv7);
  for await (const rows of store.groupingMembers()) {
    for (const { incidentId, ...member } of rows) index.load(member, incidentId);
  }
  return index;
}
