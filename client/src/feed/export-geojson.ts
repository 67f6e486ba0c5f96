import { ApiFailure } from '../net/api';
import { filtersToQuery, type Filters } from '../store/filters';

export interface ExportResult {
  count: number;
  bytes: number;
}

/**
 * Downloads the server's GeoJSON export for the given filters (the same ones the map and feed
 * apply), reporting progress as bytes arrive, then hands the file to the browser as a download.
 */
export async function exportGeoJson(token: string, filters: Filters, now: number, onProgress: (bytes: number) => void): Promise<ExportResult> {
  const query = filtersToQuery(filters, now);
  const response = await fetch(`/api/export.geojson?${query.toString()}`, { headers: { Authorization: `Bearer ${token}` } });
  if (!response.ok || !response.body) {
    const body = (await response.json().catch(() => undefined)) as { error?: { message?: string } } | undefined;
    throw new ApiFailure(response.status, { code: 'internal', message: body?.error?.message ?? `HTTP ${response.status}` });
  }
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let bytes = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
    bytes += value.byteLength;
    onProgress(bytes);
  }
  const blob = new Blob(chunks as BlobPart[], { type: 'application/geo+json' });
  // Parsing proves the stream was complete: the server aborts a failed export mid-way.
  const parsed = JSON.parse(await blob.text()) as { features?: unknown[] };
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = `truceline-${new Date(now).toISOString().slice(0, 16).replace(':', '')}.geojson`;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
  return { count: parsed.features?.length ?? 0, bytes };
}
