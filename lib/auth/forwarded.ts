/**
 * X-Forwarded-* headers are anyone's to send; they mean something only when
 * set by reverse proxies we were told to trust (TRUST_PROXY = how many hops).
 * Each proxy appends what it saw, so with `hops` trusted proxies in front of
 * us the value set by the outermost one is the `hops`-th entry from the right;
 * anything further left came from the client and is ignored. Pure: used by
 * proxy.ts, the gate policy and the import route.
 */
export function trustedForwarded(value: string | null | undefined, hops: number): string | undefined {
  if (hops <= 0 || !value) return undefined;
  const entries = value
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean);
  if (!entries.length) return undefined;
  return entries[Math.max(0, entries.length - hops)];
}

/** The host the browser addressed: the trusted proxy's X-Forwarded-Host, else the Host header. */
export function effectiveHost(headers: Pick<Headers, 'get'>, hops: number): string {
  return (trustedForwarded(headers.get('x-forwarded-host'), hops) ?? headers.get('host') ?? '').toLowerCase();
}
