import 'server-only';
import { createHmac, timingSafeEqual } from 'node:crypto';
import { wireTaskSchema, type WireTask } from './schemas';

/**
 * Verification of provider webhooks (Standard Webhooks scheme):
 * signature = base64(HMAC-SHA256(key, "{webhook-id}.{webhook-timestamp}.{raw body}")),
 * sent as a space-separated list of `v1,<sig>` entries. Freepik's docs disagree
 * on whether the key is the secret as-is or its base64 decoding (after an
 * optional `whsec_` prefix), so every reading of the secret is accepted.
 */
export const WEBHOOK_TOLERANCE_S = 5 * 60;

/** `task` is the payload as sent; the task's own model reshapes it once the task is known (lib/freepik/models). */
export type WebhookVerdict = { ok: true; id: string; task: WireTask } | { ok: false; status: 400 | 401; reason: string };

export function candidateKeys(secret: string): Buffer[] {
  const keys = [Buffer.from(secret, 'utf8')];
  const bare = secret.startsWith('whsec_') ? secret.slice('whsec_'.length) : secret;
  if (bare !== secret) keys.push(Buffer.from(bare, 'utf8'));
  if (/^[A-Za-z0-9+/]+={0,2}$/.test(bare) && bare.length % 4 === 0) keys.push(Buffer.from(bare, 'base64'));
  return keys;
}

function signaturesMatch(expected: Buffer, candidate: string): boolean {
  const given = Buffer.from(candidate, 'base64');
  // timingSafeEqual needs equal lengths; a length mismatch is simply "no match".
  return given.length === expected.length && timingSafeEqual(given, expected);
}

export function verifyWebhook(
  headers: Headers,
  rawBody: string,
  secret: string,
  nowSeconds = Math.floor(Date.now() / 1000),
): WebhookVerdict {
  const id = headers.get('webhook-id');
  const timestamp = headers.get('webhook-timestamp');
  const signature = headers.get('webhook-signature');
  if (!id || !timestamp || !signature) return { ok: false, status: 401, reason: 'missing signature headers' };
  if (!/^\d+$/.test(timestamp) || Math.abs(nowSeconds - Number(timestamp)) > WEBHOOK_TOLERANCE_S) {
    return { ok: false, status: 401, reason: 'timestamp outside the allowed window' };
  }
  const signed = `${id}.${timestamp}.${rawBody}`;
  const entries = signature
    .split(' ')
    .filter((entry) => entry.startsWith('v1,'))
    .map((entry) => entry.slice(3));
  const valid = candidateKeys(secret).some((key) => {
    const expected = createHmac('sha256', key).update(signed).digest();
    return entries.some((entry) => signaturesMatch(expected, entry));
  });
  if (!valid) return { ok: false, status: 401, reason: 'bad signature' };

  let json: unknown;
  try {
    json = JSON.parse(rawBody);
  } catch {
    return { ok: false, status: 400, reason: 'body is not JSON' };
  }
  const parsed = wireTaskSchema.safeParse(json);
  if (!parsed.success) return { ok: false, status: 400, reason: 'body is not a task update' };
  return { ok: true, id, task: parsed.data };
}
