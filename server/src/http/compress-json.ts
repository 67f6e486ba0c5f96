import compression from 'compression';
import type { RequestHandler } from 'express';
import { constants } from 'node:zlib';

/**
 * Compresses the large JSON answers (catch-up pages, report, incident and area lists) for
 * clients that accept it: a 10,000-report catch-up page is 6.5 MB of JSON and about 1 MB with
 * brotli at quality 1, which takes ~30 ms here; on a monitor's 3G or satellite link the transfer
 * is the slow part by far. The fastest settings, because every answer is made per request.
 * Small answers (under 16 KiB) go as they are. Not for the export: it streams and must be able
 * to abort midway rather than end a compressed body cleanly.
 */
export const compressJson: RequestHandler = compression({
  threshold: 16 * 1024,
  level: 1,
  // Bigger slices than zlib's 16 KiB: the unfiltered incident list of a 1M-report store (226 MB)
  // took 4.9 s instead of 3.2 s to gzip in 16 KiB round trips to the thread pool.
  chunkSize: 256 * 1024,
  brotli: { params: { [constants.BROTLI_PARAM_QUALITY]: 1 } },
});
