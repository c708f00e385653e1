import { describe, expect, it } from 'vitest';
import { allowedHostNames, decide, hostAllowed, wrongHostMessage, type GateContext } from '@/lib/auth/gate';
import { parseEnv } from '@/lib/config/env-schema';

/**
 * DNS rebinding: a page on rebind.evil.example re-points its own name at
 * 127.0.0.1, so its requests carry Host and Origin `rebind.evil.example:3000`
 * and look same-origin. Only the Host allow-list stops them — with or
 * without the password gate, for every kind of request.
 */

const defaults = allowedHostNames(undefined, []);
const context = (gateOn: boolean, allowedHosts = defaults, signedIn = true): GateContext => ({
  gateOn,
  allowedHosts,
  hasSession: () => signedIn,
});

function rebound(method: string, path: string, extra: Record<string, string> = {}) {
  const host = 'rebind.evil.example:3000';
  const headers = new Headers({ host, origin: `http://${host}`, ...extra });
  return { method, pathname: path, search: '', headers };
}

describe('host allow-list', () => {
  it('refuses a rebound host on every path and method, gate on or off, signed in or not', () => {
    const requests = [
      rebound('POST', '/', { 'next-action': '00aa' }),
      rebound('GET', '/'),
      rebound('GET', '/api/tasks'),
      rebound('GET', '/api/tasks/summary'),
      rebound('GET', '/api/boards'),
      rebound('GET', '/api/tasks/0b7c8a4e-1111-4222-8333-944455556666/boards'),
      rebound('GET', '/api/spending'),
      rebound('GET', '/settings'),
      rebound('POST', '/settings', { 'next-action': '00aa' }),
      rebound('GET', '/api/export'),
      rebound('GET', '/api/events'),
      rebound('GET', '/api/images/x?w=320'),
      rebound('POST', '/login'),
      rebound('POST', '/api/webhooks/freepik'),
    ];
    for (const ctx of [context(false), context(true), context(true, defaults, false)]) {
      for (const request of requests) {
        expect(decide(request, ctx), `${request.method} ${request.pathname}`).toEqual({
          kind: 'wrong-host',
          host: 'rebind.evil.example:3000',
        });
      }
    }
  });

  it('answers the loopback names on any port', () => {
    for (const host of ['localhost', 'localhost:3000', '127.0.0.1:3100', '[::1]:3000', '[::1]', 'LOCALHOST:3000']) {
      expect(hostAllowed(host, defaults), host).toBe(true);
    }
  });

  it('refuses look-alikes and malformed Host headers', () => {
    for (const host of [
      '',
      'localhost.evil.example',
      'evil.example',
      '127.0.0.1.nip.io:3000',
      'localhost@evil.example',
      'localhost/evil',
      'local host',
      '127.0.0.2:3000',
      '0.0.0.0:3000',
      '[::2]:3000',
    ]) {
      expect(hostAllowed(host, defaults), host).toBe(false);
    }
  });

  it('adds the host of PUBLIC_BASE_URL and every ALLOWED_HOSTS entry', () => {
    const env = parseEnv({ PUBLIC_BASE_URL: 'https://studio.example.com', ALLOWED_HOSTS: ' studio.lan , 192.168.1.20,[fd00::1]' });
    const allowed = allowedHostNames(env.PUBLIC_BASE_URL, env.ALLOWED_HOSTS);
    for (const host of [
      'studio.example.com',
      'studio.example.com:443',
      'studio.lan:3000',
      '192.168.1.20:3000',
      '[fd00::1]:3000',
      'localhost:3000',
    ]) {
      expect(hostAllowed(host, allowed), host).toBe(true);
    }
    expect(hostAllowed('other.lan:3000', allowed)).toBe(false);
    expect(
      decide({ method: 'GET', pathname: '/', search: '', headers: new Headers({ host: 'studio.lan:3000' }) }, context(false, allowed)),
    ).toEqual({
      kind: 'pass',
    });
  });

  it('rejects ALLOWED_HOSTS entries that are not host names, naming the variable', () => {
    for (const bad of ['http://studio.lan', 'studio.lan:3000', 'studio lan', 'studio.lan/x']) {
      expect(() => parseEnv({ ALLOWED_HOSTS: bad }), bad).toThrow(/ALLOWED_HOSTS/);
    }
    expect(parseEnv({}).ALLOWED_HOSTS).toEqual([]);
  });

  it('says which setting lets a host in', () => {
    expect(wrongHostMessage('studio.lan:3000')).toMatch(/"studio\.lan:3000".*ALLOWED_HOSTS.*PUBLIC_BASE_URL/);
  });
});
