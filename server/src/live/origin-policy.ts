import os from 'node:os';
import type { Config } from '../config.js';

/**
 * Which browser origins may open Socket.IO connections.
 *
 * Never the request's own `Host`: a DNS-rebinding page at `evil.example` (its name pointed at
 * this server after the page loaded) sends `Origin` = `Host` = `evil.example`, so such a check
 * admits any page on any host name, which then opens connections from inside the victim's
 * network. The allowed origins are, in order:
 * - `listed`: `ALLOWED_ORIGINS`, else the origin of `PUBLIC_URL`;
 * - `local`: without either, origins whose host is `localhost`, a loopback address, an IP
 *   address this server listens on, or this machine's own name (`os.hostname()`, and that
 *   name under `.local` as mDNS announces it), with the server's scheme and port. Rebinding
 *   needs a host name the attacker controls; an IP literal, `localhost` or the machine's own
 *   name on the local network is not one. A LAN deployment that monitors open as
 *   `http://192.168.1.10:8080` or `http://field-laptop.local:8080` works without configuration.
 *
 * The REST API needs no such check: every route but health, login and the basemap needs the
 * bearer token, which a rebinding page cannot read (the web client keeps it in its own
 * origin's storage, and no cookie carries it); login needs a password and is rate limited.
 */
export type OriginPolicy =
  | { kind: 'listed'; origins: ReadonlySet<string> }
  | { kind: 'local'; protocol: 'http:' | 'https:'; port: number; addresses: ReadonlySet<string> };

/** The `listed` policy when `ALLOWED_ORIGINS` or `PUBLIC_URL` is set, else `undefined`. */
export function listedOrigins(config: Pick<Config, 'allowedOrigins' | 'publicUrl'>): OriginPolicy | undefined {
  if (config.allowedOrigins) return { kind: 'listed', origins: new Set(config.allowedOrigins) };
  if (config.publicUrl) return { kind: 'listed', origins: new Set([new URL(config.publicUrl).origin]) };
  return undefined;
}

/** `127.0.0.0/8` and `::1`, as `URL` writes them (IPv6 in brackets). */
function isLoopback(hostname: string): boolean {
  return hostname === 'localhost' || hostname === '[::1]' || /^127(\.\d{1,3}){3}$/.test(hostname);
}

/** True when a browser page at `origin` (the `Origin` header's value) may open a socket. */
export function isOriginAllowed(origin: string, policy: OriginPolicy): boolean {
  if (policy.kind === 'listed') return policy.origins.has(origin.replace(/\/$/, ''));
  let url: URL;
  try {
    url = new URL(origin);
  } catch {
    return false;
  }
  if (url.protocol !== policy.protocol || url.origin !== origin.replace(/\/$/, '')) return false;
  const port = url.port === '' ? (url.protocol === 'https:' ? 443 : 80) : Number(url.port);
  if (port !== policy.port) return false;
  return isLoopback(url.hostname) || policy.addresses.has(url.hostname);
}

/**
 * The IP addresses (IPv6 in brackets, as in a URL) a server bound to `host` answers on:
 * every interface's for a wildcard bind, else `host` itself when it is an IP address.
 */
export function listeningAddresses(host: string, interfaces: NodeJS.Dict<os.NetworkInterfaceInfo[]>): Set<string> {
  const asUrlHost = (address: string) => (address.includes(':') ? `[${address}]` : address);
  if (host !== '0.0.0.0' && host !== '::') return new Set([asUrlHost(host)]);
  const addresses = new Set<string>();
  for (const infos of Object.values(interfaces)) {
    for (const info of infos ?? []) {
      // A `0.0.0.0` listener answers IPv4 only; `::` answers both (dual stack).
      if (host === '0.0.0.0' && info.family !== 'IPv4') continue;
      // Link-local IPv6 needs a zone id, which browsers do not accept in an origin.
      if (!info.address.includes('%')) addresses.add(asUrlHost(info.address));
    }
  }
  return addresses;
}

/** This machine's own names, as a URL's host writes them: its host name and the mDNS `.local` form. */
export function ownHostNames(hostname: string): Set<string> {
  const name = hostname.trim().toLowerCase().replace(/\.$/, '');
  if (!/^[a-z0-9-]+(\.[a-z0-9-]+)*$/.test(name)) return new Set();
  return new Set(name.includes('.') ? [name] : [name, `${name}.local`]);
}

/**
 * The origin check for a request that reached this server on `localPort`. The `local` policy
 * reads the interfaces at each check: a phone hotspot's address can change while the server runs.
 */
export function originCheck(config: Pick<Config, 'allowedOrigins' | 'publicUrl' | 'host' | 'tlsCert'>): (origin: string, localPort: number | undefined) => boolean {
  const listed = listedOrigins(config);
  if (listed) return (origin) => isOriginAllowed(origin, listed);
  return (origin, localPort) =>
    localPort !== undefined &&
    isOriginAllowed(origin, {
      kind: 'local',
      protocol: config.tlsCert ? 'https:' : 'http:',
      port: localPort,
      addresses: new Set([...listeningAddresses(config.host, os.networkInterfaces()), ...ownHostNames(os.hostname())]),
    });
}
