'use client';

import { useQuery } from '@tanstack/react-query';
import { z } from 'zod';
import { fetchJson } from '@/lib/client/http-error';

const statusSchema = z.object({ demo: z.boolean(), keyRejected: z.boolean(), webhooks: z.boolean() });

/** Says plainly when the provider refuses the API key (the follower has paused). */
export function ProviderAlert() {
  const { data } = useQuery({
    queryKey: ['provider-status'],
    queryFn: () => fetchJson('/api/status', statusSchema),
    refetchInterval: 10_000,
  });
  if (!data?.keyRejected) return null;
  return (
    <div role="alert" className="rounded-lg border border-red-500/40 bg-red-500/10 px-4 py-3 text-sm text-red-100">
      <strong className="font-semibold">The provider rejected the API key.</strong> Check <code>FREEPIK_API_KEY</code> and restart Darkroom.
      Waiting pictures stay queued; Darkroom retries only every 30 seconds meanwhile.
    </div>
  );
}
