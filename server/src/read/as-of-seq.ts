/**
 * A list answer's `asOfSeq`: the committed watermark read *before* the list, raised to the
 * highest `seq` listed. Both are safe claims: everything up to the watermark was visible to the
 * list's read, and since seq order is commit order (the store's write lock), a listed row's
 * `seq` means every smaller one was committed before that read too. The watermark read after
 * the list would not be: a change committed in between would be claimed but not listed.
 *
 * A loop, not `Math.max(...list)`: spreading hundreds of thousands of arguments overflows the
 * stack (the unfiltered incident list of a large store).
 */
export function asOfSeq(watermarkBefore: number, items: readonly { seq: number }[]): number {
  let max = watermarkBefore;
  for (const item of items) if (item.seq > max) max = item.seq;
  return max;
}
