/**
 * The client's address: the socket's peer, or, behind `trustProxy` proxies, the entry that
 * many hops from the right of `X-Forwarded-For` (entries further left are client-supplied
 * and could be forged to dodge the per-address cap).
 */
export function clientAddress(remote: string | undefined, forwardedFor: string | string[] | undefined, trustProxy: number): string {
  const peer = normaliseAddress(remote ?? 'unknown');
  if (trustProxy <= 0 || forwardedFor === undefined) return peer;
  const hops = (Array.isArray(forwardedFor) ? forwardedFor.join(',') : forwardedFor)
    .split(',')
    .map((h) => h.trim())
    .filter(Boolean);
  const chain = [...hops, peer];
  return normaliseAddress(chain[Math.max(0, chain.length - 1 - trustProxy)] ?? peer);
}

function normaliseAddress(address: string): string {
  return address.startsWith('::ffff:') ? address.slice(7) : address;
}
