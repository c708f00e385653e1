/**
 * Standalone Freepik simulator (RunWay and every other model of the registry), for tests and local experiments:
 *
 *   npx tsx scripts/simulator.ts --port 4010 --key test-key --complete-ms 300
 *
 * Every flag also reads an environment variable (flag wins): SIM_PORT, SIM_HOST,
 * SIM_API_KEY, SIM_KEY_HEADER, SIM_IN_PROGRESS_MS, SIM_COMPLETE_MS,
 * SIM_URL_TTL_MS, SIM_FAIL_RATE, SIM_RATE_429, SIM_RATE_500, SIM_RATE_503,
 * SIM_LOST_RESPONSE_RATE, SIM_LATENCY_MS, SIM_PUBLIC_URL, SIM_WEBHOOK_SECRET,
 * SIM_IMAGEN_BASE64 (true/false: Imagen 3 answers with base64 pictures instead of links).
 *
 * Prints "simulator listening on http://HOST:PORT" once ready (tests wait for
 * that line) and exits cleanly on SIGTERM / SIGINT.
 *
 * Control endpoints: GET /__sim/log, POST /__sim/config, POST /__sim/reset need
 * the same key header and key as API calls AND a loopback Host (127.0.0.1,
 * localhost, [::1]); GET /__sim/health needs only the loopback Host. Call them
 * with simulatorControl() from lib/simulator/control.ts, or e.g.
 *
 *   curl -H 'x-freepik-api-key: test-key' http://127.0.0.1:4010/__sim/log
 */
import { parseArgs } from 'node:util';
import { startSimulator, type SimulatorPatch } from '../lib/simulator/server';

const flags = {
  port: 'SIM_PORT',
  host: 'SIM_HOST',
  key: 'SIM_API_KEY',
  'key-header': 'SIM_KEY_HEADER',
  'in-progress-ms': 'SIM_IN_PROGRESS_MS',
  'complete-ms': 'SIM_COMPLETE_MS',
  'url-ttl-ms': 'SIM_URL_TTL_MS',
  'fail-rate': 'SIM_FAIL_RATE',
  'rate-429': 'SIM_RATE_429',
  'rate-500': 'SIM_RATE_500',
  'rate-503': 'SIM_RATE_503',
  'lost-response-rate': 'SIM_LOST_RESPONSE_RATE',
  'latency-ms': 'SIM_LATENCY_MS',
  'public-url': 'SIM_PUBLIC_URL',
  'webhook-secret': 'SIM_WEBHOOK_SECRET',
  'imagen-base64': 'SIM_IMAGEN_BASE64',
} as const;
type Flag = keyof typeof flags;

function fail(message: string): never {
  console.error(`simulator: ${message}`);
  process.exit(2);
}

const { values } = parseArgs({
  options: Object.fromEntries(Object.keys(flags).map((f) => [f, { type: 'string' }])) as Record<Flag, { type: 'string' }>,
  strict: true,
});

function str(flag: Flag): string | undefined {
  const v = (values as Partial<Record<Flag, string>>)[flag] ?? process.env[flags[flag]];
  return v === undefined || v === '' ? undefined : v;
}

function num(flag: Flag, { min = 0, max = Infinity } = {}): number | undefined {
  const v = str(flag);
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isFinite(n) || n < min || n > max) fail(`--${flag} must be a number between ${min} and ${max}, got "${v}"`);
  return n;
}

function bool(flag: Flag): boolean | undefined {
  const v = str(flag);
  if (v === undefined) return undefined;
  if (v === 'true' || v === '1') return true;
  if (v === 'false' || v === '0') return false;
  fail(`--${flag} must be true or false, got "${v}"`);
}

const patch: SimulatorPatch = {
  host: str('host'),
  port: num('port', { max: 65535 }),
  apiKey: str('key'),
  keyHeader: str('key-header'),
  inProgressAfterMs: num('in-progress-ms'),
  completeAfterMs: num('complete-ms'),
  imageUrlTtlMs: num('url-ttl-ms'),
  latencyMs: num('latency-ms'),
  publicUrl: str('public-url'),
  webhookSecret: str('webhook-secret'),
  imagenBase64: bool('imagen-base64'),
  faults: {
    failRate: num('fail-rate', { max: 1 }),
    rate429: num('rate-429', { max: 1 }),
    rate500: num('rate-500', { max: 1 }),
    rate503: num('rate-503', { max: 1 }),
    lostResponseRate: num('lost-response-rate', { max: 1 }),
  },
};

const sim = await startSimulator(patch);
console.log(`simulator listening on ${sim.url}`);

let stopping = false;
async function shutdown(signal: string): Promise<void> {
  if (stopping) return;
  stopping = true;
  console.log(`simulator: ${signal}, shutting down`);
  await sim.close();
  process.exit(0);
}
process.on('SIGTERM', () => void shutdown('SIGTERM'));
process.on('SIGINT', () => void shutdown('SIGINT'));
