/**
 * The simulator's control surface (/__sim/*): who may use it, and how the
 * app's own tests and scripts call it. Kept free of other imports so browser
 * test fixtures can use it without pulling in the simulator itself.
 *
 * /__sim/log lists every prompt and /__sim/config can swap the key, so these
 * endpoints answer only requests that carry the simulator's API key AND name
 * a loopback host: a web page that rebinds its DNS name to 127.0.0.1 sends its
 * own name as Host, and any other local user lacks the key.
 */

export const CONTROL_PREFIX = '/__sim/';
/** Open to any loopback caller (Playwright polls it before the key matters). */
export const HEALTH_PATH = '/__sim/health';
export const DEFAULT_KEY_HEADER = 'x-freepik-api-key';

const LOOPBACK_HOSTNAMES: ReadonlySet<string> = new Set(['127.0.0.1', 'localhost', '[::1]']);

/**
 * True when a Host header names a loopback address, with or without a port.
 * Deliberately literal: no DNS, no numeric shorthands like 127.1.
 */
export function isLoopbackHost(host: string | undefined): boolean {
  if (!host) return false;
  const match = /^(\[[^\]]*\]|[^:[\]]+)(?::\d{1,5})?$/.exec(host.trim());
  return match !== null && LOOPBACK_HOSTNAMES.has(match[1].toLowerCase());
}

export type ControlPath = '/__sim/log' | '/__sim/config' | '/__sim/reset' | '/__sim/health';

/** Where a simulator listens and the key it was started with. */
export type SimulatorAccess = { url: string; apiKey: string; keyHeader?: string };

/**
 * Calls one control endpoint with the key; log and health are GETs, reset and
 * config POSTs. Returns the parsed JSON body and throws on any refusal, so a
 * test never mistakes a 401 for an empty log.
 */
export async function simulatorControl<T = unknown>(sim: SimulatorAccess, path: ControlPath, body?: unknown): Promise<T> {
  const post = path === '/__sim/config' || path === '/__sim/reset';
  const response = await fetch(`${sim.url.replace(/\/+$/, '')}${path}`, {
    method: post ? 'POST' : 'GET',
    headers: {
      [sim.keyHeader ?? DEFAULT_KEY_HEADER]: sim.apiKey,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`simulator ${path} answered ${response.status}: ${text}`);
  return JSON.parse(text) as T;
}
