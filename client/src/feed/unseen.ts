import type { Report } from '@truceline/shared';

/**
 * The reports among `arrived` that are news to this viewer: not held before (an update of a
 * known report is not a new report) and not their own (made here, or carrying their id).
 */
export function newFromOthers(
  arrived: readonly Report[],
  known: Readonly<Record<string, unknown>>,
  viewerId: string,
  ownIds: Readonly<Record<string, unknown>>,
): Report[] {
  return arrived.filter((r) => known[r.id] === undefined && ownIds[r.id] === undefined && r.reporter?.id !== viewerId);
}

/** The page title with the unseen count in front, as mail and chat apps do: "(3) Truceline". */
export function titleWithCount(base: string, unseen: number): string {
  return unseen > 0 ? `(${unseen}) ${base}` : base;
}
