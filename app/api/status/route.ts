import { NextResponse } from 'next/server';
import { isDemoMode } from '@/lib/freepik/connection';
import { keyRejected } from '@/lib/tasks/provider-health';
import { webhooksEnabled } from '@/lib/tasks/follower-instance';

export const dynamic = 'force-dynamic';

/** Connection facts for the UI banner: demo mode, a rejected key, webhooks on. */
export async function GET() {
  return NextResponse.json(
    { demo: isDemoMode(), keyRejected: await keyRejected(), webhooks: webhooksEnabled() },
    { headers: { 'cache-control': 'no-store' } },
  );
}
