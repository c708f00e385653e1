import 'server-only';
import { env } from '../config/env';
import { singleton } from '../singleton';
import type { UpstreamConnection } from './http';
import { createProviderClient, type ProviderClient } from './client';

type DemoHost = { url: string; apiKey: string; close(): Promise<void> };

/** Demo mode: no key configured, so the built-in simulator stands in for Freepik. */
export function isDemoMode(): boolean {
  return !env().FREEPIK_API_KEY;
}

/**
 * The simulator runs inside the server process on a random loopback port and is
 * reached over real HTTP, so demo mode exercises exactly the production client.
 */
function demoHost(): Promise<DemoHost> {
  return singleton('Demo', async () => {
    const { startSimulator } = await import('../simulator/server');
    const apiKey = `demo-${crypto.randomUUID()}`;
    const sim = await startSimulator({ port: 0, apiKey, keyHeader: env().FREEPIK_API_KEY_HEADER });
    return { url: sim.url, apiKey, close: () => sim.close() };
  });
}

export async function upstreamConnection(): Promise<UpstreamConnection> {
  const { FREEPIK_API_KEY, FREEPIK_API_BASE_URL, FREEPIK_API_KEY_HEADER } = env();
  if (FREEPIK_API_KEY) {
    return { baseUrl: FREEPIK_API_BASE_URL, apiKey: FREEPIK_API_KEY, keyHeader: FREEPIK_API_KEY_HEADER };
  }
  const demo = await demoHost();
  return { baseUrl: demo.url, apiKey: demo.apiKey, keyHeader: FREEPIK_API_KEY_HEADER };
}

export async function provider(): Promise<ProviderClient> {
  return createProviderClient(await upstreamConnection());
}
