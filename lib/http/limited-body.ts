/**
 * Reads a request body as text, but never more than `maxBytes` of it: a
 * declared Content-Length over the limit is refused before reading anything,
 * and a chunked (or lying) body is cut off as soon as it passes the limit.
 * Route handlers reachable without a session use it, so a stranger cannot
 * make the server hold large bodies in memory.
 */
export type LimitedBody = { ok: true; text: string } | { ok: false; reason: 'too-large' | 'unreadable' };

export async function readLimitedText(request: Request, maxBytes: number): Promise<LimitedBody> {
  const declared = request.headers.get('content-length');
  if (declared !== null && (!/^\d+$/.test(declared.trim()) || Number(declared) > maxBytes)) {
    return { ok: false, reason: 'too-large' };
  }
  if (!request.body) return { ok: true, text: '' };

  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let received = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      received += value.byteLength;
      if (received > maxBytes) {
        // Stop pulling: the rest of the body is discarded, never buffered.
        await reader.cancel().catch(() => undefined);
        return { ok: false, reason: 'too-large' };
      }
      chunks.push(value);
    }
  } catch {
    return { ok: false, reason: 'unreadable' };
  }
  return { ok: true, text: Buffer.concat(chunks).toString('utf8') };
}
