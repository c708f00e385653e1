import 'server-only';
import { UpstreamError, kindForStatus } from './errors';
import { networkError } from './http';

const MAX_IMAGE_BYTES = 64 * 1024 * 1024;

/**
 * Fetches a generated picture from the provider's signed, expiring URL. The URL
 * carries its own token, so no API key is sent (and none can leak to a CDN).
 * A `data:` URL (Imagen 3 may answer with the picture itself, base64: see
 * lib/freepik/models/imagen3.ts) is decoded here, under the same size limit.
 */
export async function downloadImage(url: string, timeoutMs = 60_000): Promise<Buffer> {
  if (url.startsWith('data:')) return decodeDataUrl(url);
  let response: Response;
  try {
    response = await fetch(url, { signal: AbortSignal.timeout(timeoutMs), cache: 'no-store' });
  } catch (error) {
    throw networkError(error);
  }
  if (!response.ok) throw new UpstreamError(kindForStatus(response.status), { status: response.status });
  const declared = Number(response.headers.get('content-length') ?? 0);
  if (declared > MAX_IMAGE_BYTES) throw new UpstreamError('invalid-response');
  const bytes = Buffer.from(await response.arrayBuffer());
  if (bytes.length > MAX_IMAGE_BYTES) throw new UpstreamError('invalid-response');
  return bytes;
}

function decodeDataUrl(url: string): Buffer {
  const match = /^data:image\/(png|jpeg|webp);base64,([A-Za-z0-9+/]+={0,2})$/.exec(url);
  // base64 is 4/3 the size of its bytes: refuse before decoding anything too large.
  if (!match || (match[2].length * 3) / 4 > MAX_IMAGE_BYTES) throw new UpstreamError('invalid-response');
  return Buffer.from(match[2], 'base64');
}
