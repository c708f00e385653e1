import 'server-only';
import { z } from 'zod';
import { UpstreamError, kindForStatus, parseRetryAfter } from './errors';
import { providerLimiter } from './rate-limit';
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
 * the request header and is never part of an error or log line.
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
      invalidParams: parsed.success ? parsed.data.invalid_params : undefined,
      retryAfterMs: parseRetryAfter(response.headers.get('retry-after')),
    });
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) throw new UpstreamError('invalid-response', { status: response.status });
  return parsed.data;
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
