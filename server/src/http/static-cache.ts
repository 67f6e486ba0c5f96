/** A year: Vite's `/assets/` files and Workbox's runtime carry their content hash in their name. */
export const HASHED_CACHE = 'public, max-age=31536000, immutable';
/** Everything else is kept but asked about again (a 304 costs a round trip, not the file). */
export const REVALIDATE = 'no-cache';

// `workbox-<hash>.js` is named by its content like Vite's assets; `sw.js` is not and must never be
// cached stale, or a new version would never reach the device.
const HASHED = [/^assets\//, /^workbox-[0-9a-f]{8,}\.js(\.map)?$/];

/** The Cache-Control of a built client file, by its path relative to the client folder ("/" separated). */
export function staticCacheControl(relativePath: string): string {
  return HASHED.some((pattern) => pattern.test(relativePath)) ? HASHED_CACHE : REVALIDATE;
}
