import { createHash, timingSafeEqual } from 'node:crypto';

/**
 * Whether an `Authorization` header carries `Bearer <expected>`. Both sides are hashed first, so
 * the comparison takes the same time whatever the length or content of what was sent.
 */
export function bearerMatches(header: string | undefined, expected: string): boolean {
  const sent = header?.startsWith('Bearer ') ? header.slice('Bearer '.length).trim() : '';
  const digest = (value: string) => createHash('sha256').update(value, 'utf8').digest();
  // The hash comparison runs even for an empty token: no early exit to time.
  return timingSafeEqual(digest(sent), digest(expected)) && sent.length > 0;
}
