import { NextResponse } from 'next/server';
import { isDemoMode } from '@/lib/freepik/connection';
import { providerHealth } from '@/lib/tasks/provider-health';
import { webhookUrl } from '@/lib/tasks/follower';

export const dynamic = 'force-dynamic';

/** Connection facts for the UI banner: demo mode, a rejected key, webhooks on. */
export function GET() {
  return NextResponse.json(
    { demo: isDemoMode(), keyRejected: providerHealth().keyRejectedAt !== null, webhooks: !!webhookUrl() },
    { headers: { 'cache-control': 'no-store' } },
  );
}
