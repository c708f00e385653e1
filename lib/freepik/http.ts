import 'server-only';
import { z } from 'zod';
import { UpstreamError, kindForStatus, parseRetryAfter, type InvalidParam } from './errors';
import { providerLimiter } from './rate-limit';
import { redactSecrets } from './redact';
import { errorBodySchema } from './schemas';

export type UpstreamConnection = {
  baseUrl: string;
  apiKey: string;
  /** Header carrying the key: x-freepik-api-key today, x-magnific-api-key after the rebrand. */
  keyHeader: string;
  timeoutMs?: number;
};

/**
 * One JSON request to the provider. Every failure (HTTP status, network,
 * timeout, unexpected body) becomes an UpstreamError; the key travels only in
 * the request header and is never part of an error or log line — even when the
 * provider's own error text quotes it back (see ./redact.ts).
 */
export async function requestJson<T>(
  conn: UpstreamConnection,
  method: 'GET' | 'POST',
  path: string,
  schema: z.ZodType<T>,
  body?: unknown,
): Promise<T> {
  await providerLimiter().acquire();
  let response: Response;
  try {
    response = await fetch(`${conn.baseUrl}${path}`, {
      method,
      headers: {
        [conn.keyHeader]: conn.apiKey,
        accept: 'application/json',
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(conn.timeoutMs ?? 20_000),
      cache: 'no-store',
    });
  } catch (error) {
    throw networkError(error);
  }

  const text = await response.text().catch(() => '');
  const json = safeJson(text);
  if (!response.ok) {
    const parsed = errorBodySchema.safeParse(json);
    throw new UpstreamError(kindForStatus(response.status), {
      status: response.status,
      invalidParams: parsed.success ? redactParams(parsed.data.invalid_params, [conn.apiKey]) : undefined,
      retryAfterMs: parseRetryAfter(response.headers.get('retry-after')),
    });
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) throw new UpstreamError('invalid-response', { status: response.status });
  return parsed.data;
}

/**
 * invalid_params is the only provider text an UpstreamError carries (the body's
 * `message` is not used); both its fields are redacted before they are kept.
 */
function redactParams(params: InvalidParam[] | undefined, secrets: string[]): InvalidParam[] | undefined {
  return params?.map((p) => ({ name: redactSecrets(p.name, secrets), reason: redactSecrets(p.reason, secrets) }));
}

export function networkError(error: unknown): UpstreamError {
  const name = error instanceof Error ? error.name : '';
  return new UpstreamError(name === 'TimeoutError' || name === 'AbortError' ? 'timeout' : 'network');
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
