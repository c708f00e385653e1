import { describe, expect, it } from 'vitest';
import { createHmac } from 'node:crypto';
import { verifyWebhook } from '@/lib/freepik/webhooks';
import { signWebhook } from '@/lib/simulator/server';

const NOW = 1_800_000_000;
const body = JSON.stringify({ task_id: 'task-1', status: 'COMPLETED', generated: ['https://cdn.example/x.png'] });
const RAW_KEY = Buffer.from('0123456789abcdef0123456789abcdef');
const WHSEC = `whsec_${RAW_KEY.toString('base64')}`;

function headers(id: string, ts: number, signature: string) {
  return new Headers({ 'webhook-id': id, 'webhook-timestamp': String(ts), 'webhook-signature': signature });
}
const sign = (key: Buffer | string, id: string, ts: number, payload = body) =>
  `v1,${createHmac('sha256', key).update(`${id}.${ts}.${payload}`).digest('base64')}`;

describe('webhook verification', () => {
  it('accepts a whsec_ secret whose base64 part is the key (Standard Webhooks)', () => {
    const verdict = verifyWebhook(headers('msg_1', NOW, sign(RAW_KEY, 'msg_1', NOW)), body, WHSEC, NOW);
    expect(verdict).toMatchObject({ ok: true, id: 'msg_1', task: { task_id: 'task-1', status: 'COMPLETED' } });
  });

  it('accepts the same secret used as-is (the other reading of the docs)', () => {
    expect(verifyWebhook(headers('msg_2', NOW, sign(WHSEC, 'msg_2', NOW)), body, WHSEC, NOW).ok).toBe(true);
    const plain = 'plain-dashboard-secret-42';
    expect(verifyWebhook(headers('msg_3', NOW, sign(plain, 'msg_3', NOW)), body, plain, NOW).ok).toBe(true);
  });

  it('agrees with the simulator signer', () => {
    expect(verifyWebhook(headers('msg_4', NOW, signWebhook(WHSEC, 'msg_4', NOW, body)), body, WHSEC, NOW).ok).toBe(true);
  });

  it('accepts when any of several v1 entries matches', () => {
    const signature = `v1,AAAA v1,${Buffer.alloc(32).toString('base64')} ${sign(RAW_KEY, 'msg_5', NOW)}`;
    expect(verifyWebhook(headers('msg_5', NOW, signature), body, WHSEC, NOW).ok).toBe(true);
  });

  it('rejects a wrong signature, another secret, or a tampered body with 401', () => {
    expect(verifyWebhook(headers('m', NOW, 'v1,bm90LWEtc2lnbmF0dXJl'), body, WHSEC, NOW)).toMatchObject({ ok: false, status: 401 });
    expect(verifyWebhook(headers('m', NOW, sign('other-secret', 'm', NOW)), body, WHSEC, NOW)).toMatchObject({ ok: false, status: 401 });
    const tampered = body.replace('COMPLETED', 'FAILED');
    expect(verifyWebhook(headers('m', NOW, sign(RAW_KEY, 'm', NOW)), tampered, WHSEC, NOW)).toMatchObject({ ok: false, status: 401 });
  });

  it('rejects timestamps more than 5 minutes away, both directions', () => {
    for (const ts of [NOW - 301, NOW + 301]) {
      expect(verifyWebhook(headers('m', ts, sign(RAW_KEY, 'm', ts)), body, WHSEC, NOW)).toMatchObject({ ok: false, status: 401 });
    }
    expect(verifyWebhook(headers('m', NOW - 299, sign(RAW_KEY, 'm', NOW - 299)), body, WHSEC, NOW).ok).toBe(true);
  });

  it('rejects missing headers with 401 and a malformed body with 400', () => {
    expect(verifyWebhook(new Headers(), body, WHSEC, NOW)).toMatchObject({ ok: false, status: 401 });
    expect(verifyWebhook(headers('m', NOW, sign(RAW_KEY, 'm', NOW, 'nope')), 'nope', WHSEC, NOW)).toMatchObject({ ok: false, status: 400 });
    const wrongShape = JSON.stringify({ hello: 'world' });
    expect(verifyWebhook(headers('m', NOW, sign(RAW_KEY, 'm', NOW, wrongShape)), wrongShape, WHSEC, NOW)).toMatchObject({
      ok: false,
      status: 400,
    });
  });
});
