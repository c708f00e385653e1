import { NextResponse } from 'next/server';
import { wrongHostResponse } from '@/lib/auth/settings';
import { readLimitedText } from '@/lib/http/limited-body';
import { problem } from '@/lib/http/problem';
import { env } from '@/lib/config/env';
import { verifyWebhook } from '@/lib/freepik/webhooks';
import { follower } from '@/lib/tasks/follower-instance';
import { recordWebhookDelivery } from '@/lib/tasks/repository';

const MAX_BODY_BYTES = 64 * 1024;

/**
 * Provider task updates. Verified (signature, timestamp), deduplicated on
 * webhook-id, answered at once; the follower does the work (download etc.)
 * in the background, applying only forward moves.
 *
 * Reachable by anyone (the provider has no session) and not run through
 * proxy.ts, which would buffer the body: the Host allow-list is applied here,
 * and no more than 64 KB of a body is ever read before the signature check.
 */
export async function POST(request: Request) {
  const wrongHost = wrongHostResponse(request);
  if (wrongHost) return wrongHost;
  const secret = env().FREEPIK_WEBHOOK_SECRET;
  if (!secret) return problem(404, { type: 'webhook-rejected', detail: 'Webhooks are not configured' });

  const body = await readLimitedText(request, MAX_BODY_BYTES);
  if (!body.ok) {
    return body.reason === 'too-large'
      ? problem(413, { type: 'webhook-rejected', detail: 'Body too large', headers: { connection: 'close' } })
      : problem(400, { type: 'webhook-rejected', detail: 'The body could not be read' });
  }
  const raw = body.text;
  const verdict = verifyWebhook(request.headers, raw, secret);
  if (!verdict.ok) return problem(verdict.status, { type: 'webhook-rejected', detail: verdict.reason });

  const fresh = await recordWebhookDelivery(verdict.id, verdict.task.task_id, verdict.task.status);
  if (fresh) {
    void follower()
      .report(verdict.task)
      .catch((error) => console.error('[webhook] could not apply update:', error instanceof Error ? error.message : error));
  }
  return NextResponse.json({ received: true, duplicate: !fresh });
}
