import type { Env } from './env-schema';

/** Where the provider should report task changes, when both the public URL and the signing secret are set. */
export function webhookUrlOf(env: Pick<Env, 'PUBLIC_BASE_URL' | 'FREEPIK_WEBHOOK_SECRET'>): string | undefined {
  const { PUBLIC_BASE_URL, FREEPIK_WEBHOOK_SECRET } = env;
  return PUBLIC_BASE_URL && FREEPIK_WEBHOOK_SECRET ? `${PUBLIC_BASE_URL}/api/webhooks/freepik` : undefined;
}
