import { NextResponse } from 'next/server';
import { env } from '@/lib/config/env';
import { verifyWebhook } from '@/lib/freepik/webhooks';
import { follower } from '@/lib/tasks/follower';
import { recordWebhookDelivery } from '@/lib/tasks/repository';

const MAX_BODY_BYTES = 64 * 1024;

/**
 * Provider task updates. Verified (signature, timestamp), deduplicated on
 * webhook-id, answered at once; the follower does the work (download etc.)
 * in the background, applying only forward moves.
 */
export async function POST(request: Request) {
  const secret = env().FREEPIK_WEBHOOK_SECRET;
  if (!secret) return NextResponse.json({ message: 'Webhooks are not configured' }, { status: 404 });

  const raw = await request.text();
  if (raw.length > MAX_BODY_BYTES) return NextResponse.json({ message: 'Body too large' }, { status: 413 });
  const verdict = verifyWebhook(request.headers, raw, secret);
  if (!verdict.ok) return NextResponse.json({ message: verdict.reason }, { status: verdict.status });

  const fresh = await recordWebhookDelivery(verdict.id, verdict.task.taskId, verdict.task.status);
  if (fresh) {
    void follower()
      .report(verdict.task)
      .catch((error) => console.error('[webhook] could not apply update:', error instanceof Error ? error.message : error));
  }
  return NextResponse.json({ received: true, duplicate: !fresh });
}
