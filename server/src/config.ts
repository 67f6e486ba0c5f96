import path from 'node:path';
import { DEFAULT_MAP_VIEW, type MapView, parseMapView } from '@truceline/shared';
import { DEFAULT_GROUPING, type GroupingConfig } from './grouping/index.js';

/** Everything the server reads from its environment, parsed once at start. */
export interface Config {
  port: number;
  host: string;
  dataDir: string;
  adminPassword: string | undefined;
  databaseUrl: string | undefined;
  /** Read connections per process with `DATABASE_URL` (the writer has its own). */
  databasePoolSize: number;
  redisUrl: string | undefined;
  /** Starts every Redis key, stream and channel of this deployment (`REDIS_PREFIX`): several missions, or tests, can share one Redis. */
  redisPrefix: string;
  /** Report submissions per account per minute; 0 = unlimited. */
  rateLimit: number;
  /** Concurrent Socket.IO connections per client address; 0 = unlimited. */
  maxConnectionsPerIp: number;
  trustProxy: number;
  /** `undefined` = `publicUrl`'s origin, or without it the server's own (see `live/origin-policy.ts`). */
  allowedOrigins: string[] | undefined;
  tlsCert: string | undefined;
  tlsKey: string | undefined;
  sessionIdleDays: number;
  missionTimezone: string;
  /** Where the built web client is; served at `/`. */
  clientDir: string;
  logLevel: string;
  /** A deployment's own MapLibre style (its host is added to the CSP); unset: the built-in offline basemap. */
  mapStyleUrl: string | undefined;
  /** Where the web client's map opens on a device with no granted position and no view of its own (issue 11 §3). */
  mapDefaultView: MapView;
  grouping: GroupingConfig;
  /** Days of observation history the incident index loads at start (older stretches load on demand); 0 = all. */
  incidentIndexDays: number;

  // ---- sessions (issue 9 §3)
  /** A session ends this many days after sign-in, however much it is used. */
  sessionMaxDays: number;
  /** How often live sockets' sessions are checked again (revoked, idle, too old, user disabled). */
  sessionCheckSeconds: number;
  // Read load per account and unauthenticated sockets (issue 9 §4).
  /** Read budget per account per minute, in points (a request, or 1,000 items served); 0 = off. */
  readRateLimit: number;
  /** Read requests one account may have in flight at once; 0 = off. */
  readConcurrency: number;
  /** How long an engine.io connection may stay without a signed-in Socket.IO connection. */
  socketConnectTimeoutMs: number;
  // Hardening (issue 9 §5).
  /** The origin users open (`https://truceline.example`), without a trailing slash; allowed for sockets, used in absolute URLs. */
  publicUrl: string | undefined;

  // ---- places (issue 10 §3)
  /** Settlements of the default gazetteer (GeoNames) with fewer inhabitants are not named; mission CSVs count whatever their population. */
  placeMinPopulation: number;
}

export const DEFAULTS = {
  port: 8080,
  // Every interface: monitors' phones reach the server over the network, not loopback.
  host: '0.0.0.0',
  // Two a minute sustained with a burst of 120 is more than any monitor types; an outbox
  // that flushes days of reports gets `rate_limited` for the excess and retries later.
  rateLimit: 120,
  // High, because a whole team behind one satellite link or carrier NAT shares an address.
  maxConnectionsPerIp: 256,
  sessionIdleDays: 14,
  // Start reads this much history into the incident index; an older report loads its stretch when it arrives.
  incidentIndexDays: 30,
  // A stolen token that is kept in use still dies within a season; monitors sign in again rarely.
  sessionMaxDays: 90,
  sessionCheckSeconds: 60,

  // Read load per account and unauthenticated sockets (issue 9 §4).
  // 600 points is 600,000 reports a minute: the web client's first catch-up of 100,000 reports
  // (~105 points) plus the unfiltered incident and area lists, twice over (a reload), stays well
  // under it, while one account hammering 10,000-report sync pages (~150 ms of the event loop
  // each) gets at most ~15 % of it.
  readRateLimit: 600,
  // The web client has at most four reads in flight, and only briefly: two sync pages (one in
  // transit, the next asked for on its headers) and the area and incident lists; a read refused
  // here it asks again after `Retry-After`.
  readConcurrency: 4,
  // Socket.IO's default is 45 s. A handshake is two round trips (engine open, then the Socket.IO
  // connect with the token): a phone on 2G (~1 s a round trip) finishes in a few seconds, so 10 s
  // only shortens how long an idle, unauthenticated connection holds a MAX_CONNECTIONS_PER_IP slot.
  socketConnectTimeoutMs: 10_000,

  // ---- places (issue 10 §3)
  // GeoNames' cities of 1,000+: the threshold mission reports name places by ("x km NE of Town").
  placeMinPopulation: 1_000,
} as const;

export class ConfigError extends Error {}

function int(env: NodeJS.ProcessEnv, name: string, fallback: number, min = 0, max = Number.MAX_SAFE_INTEGER): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (!/^\d+$/.test(raw.trim())) throw new ConfigError(`${name} must be a whole number, got "${raw}"`);
  const value = Number(raw);
  if (value < min || value > max) throw new ConfigError(`${name} must be between ${min} and ${max}, got ${value}`);
  return value;
}

function text(env: NodeJS.ProcessEnv, name: string): string | undefined {
  const raw = env[name];
  return raw === undefined || raw === '' ? undefined : raw;
}

function isValidTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

function parseStyleUrl(raw: string | undefined): string | undefined {
  if (raw === undefined || raw.startsWith('/')) return raw;
  try {
    const url = new URL(raw);
    if (url.protocol === 'https:' || url.protocol === 'http:') return url.href;
  } catch {
    // reported below
  }
  throw new ConfigError(`MAP_STYLE_URL must be an http(s) URL or a path on this server, got "${raw}"`);
}

function parseDefaultView(raw: string | undefined): MapView {
  if (raw === undefined) return DEFAULT_MAP_VIEW;
  const view = parseMapView(raw);
  if (!view) throw new ConfigError(`MAP_DEFAULT_VIEW must be lon,lat,zoom (e.g. 37.8,48.1,9; lon -180..180, lat -85..85, zoom 0..22), got "${raw}"`);
  return view;
}

function parsePublicUrl(raw: string | undefined): string | undefined {
  if (raw === undefined) return undefined;
  let url: URL | undefined;
  try {
    url = new URL(raw);
  } catch {
    // reported below
  }
  if (!url || (url.protocol !== 'https:' && url.protocol !== 'http:')) {
    throw new ConfigError(`PUBLIC_URL must be an http(s) URL such as https://truceline.example, got "${raw}"`);
  }
  // The server serves the client at `/`; a path would be a proxy's prefix, which nothing here strips.
  if (url.pathname !== '/' || url.search !== '' || url.hash !== '' || url.username !== '' || url.password !== '') {
    throw new ConfigError(`PUBLIC_URL must be an origin only (scheme, host and port, no path), got "${raw}"`);
  }
  return url.origin;
}

/** Reads the contract's environment variables; throws `ConfigError` with a message a person can act on. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): Config {
  const databaseUrl = text(env, 'DATABASE_URL');
  if (databaseUrl !== undefined && !/^postgres(ql)?:\/\//.test(databaseUrl)) {
    throw new ConfigError('DATABASE_URL must start with postgres:// or postgresql://');
  }
  const redisUrl = text(env, 'REDIS_URL');
  if (redisUrl !== undefined && !/^rediss?:\/\//.test(redisUrl)) {
    throw new ConfigError('REDIS_URL must start with redis:// or rediss://');
  }
  const redisPrefix = text(env, 'REDIS_PREFIX') ?? 'truceline';
  if (!/^[A-Za-z0-9_.:-]{1,64}$/.test(redisPrefix)) {
    throw new ConfigError(`REDIS_PREFIX must be 1-64 letters, digits or _ . : -, got "${redisPrefix}"`);
  }
  const tlsCert = text(env, 'TLS_CERT');
  const tlsKey = text(env, 'TLS_KEY');
  if ((tlsCert === undefined) !== (tlsKey === undefined)) {
    throw new ConfigError('set both TLS_CERT and TLS_KEY (paths to PEM files), or neither');
  }
  const missionTimezone = text(env, 'MISSION_TIMEZONE') ?? 'UTC';
  if (!isValidTimeZone(missionTimezone)) throw new ConfigError(`MISSION_TIMEZONE "${missionTimezone}" is not an IANA time zone`);
  const origins = text(env, 'ALLOWED_ORIGINS');
  return {
    port: int(env, 'PORT', DEFAULTS.port, 0, 65535),
    host: text(env, 'HOST') ?? DEFAULTS.host,
    dataDir: path.resolve(cwd, text(env, 'DATA_DIR') ?? './data'),
    adminPassword: text(env, 'ADMIN_PASSWORD'),
    databaseUrl,
    databasePoolSize: int(env, 'DATABASE_POOL_SIZE', 10, 1, 1000),
    redisUrl,
    redisPrefix,
    rateLimit: int(env, 'RATE_LIMIT', DEFAULTS.rateLimit),
    maxConnectionsPerIp: int(env, 'MAX_CONNECTIONS_PER_IP', DEFAULTS.maxConnectionsPerIp),
    trustProxy: int(env, 'TRUST_PROXY', 0, 0, 10),
    allowedOrigins: origins?.split(',').map((o) => o.trim().replace(/\/$/, '')).filter(Boolean),
    tlsCert,
    tlsKey,
    sessionIdleDays: int(env, 'SESSION_IDLE_DAYS', DEFAULTS.sessionIdleDays, 1, 3650),
    missionTimezone,
    clientDir: path.resolve(text(env, 'CLIENT_DIR') ?? path.join(import.meta.dirname, '../../client/dist')),
    logLevel: text(env, 'LOG_LEVEL') ?? 'info',
    mapStyleUrl: parseStyleUrl(text(env, 'MAP_STYLE_URL')),
    mapDefaultView: parseDefaultView(text(env, 'MAP_DEFAULT_VIEW')),
    grouping: {
      maxGapMs: int(env, 'INCIDENT_MAX_GAP_MINUTES', DEFAULT_GROUPING.maxGapMs / 60_000, 0, 24 * 60) * 60_000,
      maxEdgeDistanceM: int(env, 'INCIDENT_MAX_DISTANCE_M', DEFAULT_GROUPING.maxEdgeDistanceM, 0, 100_000),
      // Incident limits: how long and how wide one incident may be (pairwise in the link rule, and per incident: see grouping/limits.ts).
      maxSpanMs: int(env, 'INCIDENT_MAX_SPAN_MINUTES', (DEFAULT_GROUPING.maxSpanMs ?? 0) / 60_000, 1, 7 * 24 * 60) * 60_000,
      maxExtentM: int(env, 'INCIDENT_MAX_EXTENT_M', DEFAULT_GROUPING.maxExtentM ?? 0, 1, 1_000_000),
    },
    incidentIndexDays: int(env, 'INCIDENT_INDEX_DAYS', DEFAULTS.incidentIndexDays, 0, 36_500),

    // ---- sessions (issue 9 §3)
    sessionMaxDays: int(env, 'SESSION_MAX_DAYS', DEFAULTS.sessionMaxDays, 1, 36_500),
    sessionCheckSeconds: int(env, 'SESSION_CHECK_SECONDS', DEFAULTS.sessionCheckSeconds, 1, 3_600),
    // Read load per account and unauthenticated sockets (issue 9 §4).
    readRateLimit: int(env, 'READ_RATE_LIMIT', DEFAULTS.readRateLimit),
    readConcurrency: int(env, 'READ_CONCURRENCY', DEFAULTS.readConcurrency, 0, 10_000),
    socketConnectTimeoutMs: int(env, 'SOCKET_CONNECT_TIMEOUT_MS', DEFAULTS.socketConnectTimeoutMs, 100, 120_000),
    // Hardening (issue 9 §5).
    publicUrl: parsePublicUrl(text(env, 'PUBLIC_URL')),

    // ---- places (issue 10 §3)
    // The bundled GeoNames file holds places of 500 and more; lower would silently mean 500.
    placeMinPopulation: int(env, 'PLACE_MIN_POPULATION', DEFAULTS.placeMinPopulation, 500, 100_000_000),
  };
}
