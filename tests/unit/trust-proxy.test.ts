import { describe, expect, it } from 'vitest';
import { effectiveHost, trustedForwarded } from '@/lib/auth/forwarded';
import { allowedHostNames, decide, sameOrigin, type GateContext } from '@/lib/auth/gate';
import { parseEnv } from '@/lib/config/env-schema';

/** TRUST_PROXY: X-Forwarded-* count only as far as trusted proxies set them; a client cannot pick its address or host. */
describe('trusted reverse proxies', () => {
  it('takes the entry set by the outermost trusted proxy, ignoring what the client prepended', () => {
    expect(trustedForwarded('203.0.113.7', 1)).toBe('203.0.113.7');
    expect(trustedForwarded('6.6.6.6, 203.0.113.7', 1)).toBe('203.0.113.7'); // client forged the first entry
    expect(trustedForwarded('6.6.6.6, 203.0.113.7, 10.0.0.2', 2)).toBe('203.0.113.7');
    expect(trustedForwarded('203.0.113.7', 3)).toBe('203.0.113.7'); // fewer entries than hops: the leftmost
    expect(trustedForwarded('203.0.113.7', 0)).toBeUndefined(); // nothing trusted
    expect(trustedForwarded(null, 1)).toBeUndefined();
    expect(trustedForwarded(' , ', 1)).toBeUndefined();
  });

  it('uses X-Forwarded-Host for the allow-list and Origin only when proxies are trusted', () => {
    const headers = new Headers({ host: '127.0.0.1:3000', 'x-forwarded-host': 'studio.example.com', origin: 'https://studio.example.com' });
    expect(effectiveHost(headers, 0)).toBe('127.0.0.1:3000');
    expect(effectiveHost(headers, 1)).toBe('studio.example.com');
    expect(sameOrigin(headers, undefined, 0)).toBe(false);
    expect(sameOrigin(headers, undefined, 1)).toBe(true);

    const allowed = allowedHostNames('https://studio.example.com', []);
    const request = { method: 'POST', pathname: '/', search: '', headers };
    const context = (trustProxy: number): GateContext => ({ gateOn: false, allowedHosts: allowed, trustProxy, hasSession: () => true });
    expect(decide(request, context(1))).toEqual({ kind: 'pass' });
    // Behind a trusted proxy, a rebound name arriving in X-Forwarded-Host is refused like a rebound Host.
    const rebound = new Headers({
      host: '127.0.0.1:3000',
      'x-forwarded-host': 'rebind.evil.example',
      origin: 'https://rebind.evil.example',
    });
    expect(decide({ ...request, headers: rebound }, context(1))).toEqual({ kind: 'wrong-host', host: 'rebind.evil.example' });
  });

  it('is a whole number of hops, 0 by default', () => {
    expect(parseEnv({}).TRUST_PROXY).toBe(0);
    expect(parseEnv({ TRUST_PROXY: '1' }).TRUST_PROXY).toBe(1);
    expect(() => parseEnv({ TRUST_PROXY: 'yes' })).toThrow(/TRUST_PROXY/);
  });
});
