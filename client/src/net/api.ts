import { ErrorBody, type ApiError } from '@truceline/shared';

/** A failed API call: the contract's error object, or `network` when the server was not reached. */
export class ApiFailure extends Error {
  constructor(
    readonly status: number,
    readonly error: ApiError | { code: 'network'; message: string },
    /** How long the server asked to wait before trying again (`rate_limited`), when it said. */
    readonly retryAfterMs?: number,
  ) {
    super(error.message);
  }
}

/** The wait a `429` asks for: the body's `retryAfterMs`, else the `Retry-After` header's seconds. */
function retryAfterOf(response: Response, error: ApiError | undefined): number | undefined {
  if (response.status !== 429) return undefined;
  if (error?.retryAfterMs !== undefined && error.retryAfterMs >= 0) return error.retryAfterMs;
  const seconds = Number(response.headers.get('Retry-After') ?? Number.NaN);
  return Number.isFinite(seconds) && seconds >= 0 ? seconds * 1000 : undefined;
}

export interface ApiOptions {
  token?: string | undefined;
  method?: 'GET' | 'POST' | 'PATCH';
  body?: unknown;
  signal?: AbortSignal;
}

/** JSON request to the Truceline API; throws `ApiFailure` with the server's error body. */
export async function api<T>(path: string, options: ApiOptions = {}): Promise<T> {
  return (await apiResponse<T>(path, options)).body;
}

export interface ApiAnswer<T> {
  /** The response headers, there as soon as the answer starts to arrive. */
  headers: Headers;
  /** The parsed body, once all of it has arrived. */
  body: Promise<T>;
}

/**
 * Like `api`, but settles as soon as a successful answer's headers arrive, with its body still
 * to come: the caller can act on the headers (ask for the next page) while the body is in transit.
 * A refused request still throws `ApiFailure` with the server's error body.
 */
export async function apiResponse<T>(path: string, options: ApiOptions = {}): Promise<ApiAnswer<T>> {
  const headers: Record<string, string> = { Accept: 'application/json' };
  if (options.token) headers.Authorization = `Bearer ${options.token}`;
  if (options.body !== undefined) headers['Content-Type'] = 'application/json';
  let response: Response;
  try {
    response = await fetch(path, {
      method: options.method ?? 'GET',
      headers,
      ...(options.body !== undefined ? { body: JSON.stringify(options.body) } : {}),
      ...(options.signal ? { signal: options.signal } : {}),
    });
  } catch (cause) {
    if (cause instanceof DOMException && cause.name === 'AbortError') throw cause;
    throw new ApiFailure(0, { code: 'network', message: cause instanceof Error ? cause.message : String(cause) });
  }
  if (response.status === 204) return { headers: response.headers, body: Promise.resolve(undefined as T) };
  if (!response.ok) {
    const json: unknown = await response.json().catch(() => undefined);
    const parsed = ErrorBody.safeParse(json);
    const error = parsed.success ? parsed.data.error : undefined;
    throw new ApiFailure(response.status, error ?? { code: 'internal', message: `HTTP ${response.status}` }, retryAfterOf(response, error));
  }
  // A successful answer whose body is not JSON (or breaks off) reads as `undefined`.
  const body = response.json().catch(() => undefined) as Promise<T>;
  return { headers: response.headers, body };
}
