import { z } from 'zod';
import { UpstreamError } from './errors';

/** Upstream task statuses (contract; the same enum on all seven text-to-image endpoints). */
export const providerStatusSchema = z.enum(['CREATED', 'IN_PROGRESS', 'COMPLETED', 'FAILED']);
export type ProviderStatus = z.infer<typeof providerStatusSchema>;

/**
 * A task as every endpoint sends it (create, get, webhook). `generated` is loose here: Flux Dev and Flux Pro
 * leave it out of create responses, and Imagen 3's docs show base64 pictures where the schema says URLs —
 * each model's `reshape` (lib/freepik/models) decides what its entries may be.
 */
export const wireTaskSchema = z.object({
  task_id: z.string().min(1),
  status: providerStatusSchema,
  generated: z.array(z.string()).optional(),
});
export type WireTask = z.infer<typeof wireTaskSchema>;

export const wireTaskEnvelopeSchema = z.object({ data: wireTaskSchema });

export const wireListSchema = z.object({
  data: z.array(z.object({ task_id: z.string().min(1), status: providerStatusSchema })),
});

export const errorBodySchema = z
  .object({
    message: z.string().optional(),
    invalid_params: z.array(z.object({ name: z.string(), reason: z.string() })).optional(),
  })
  .loose();

/**
 * Our shape of an upstream task, independent of the wire format. `imageUrls` are https links — or, for a model
 * that answers with the picture itself (Imagen 3), `data:` URLs (lib/freepik/download.ts reads both).
 */
export type ProviderTask = { taskId: string; status: ProviderStatus; imageUrls: string[] };

/** An http(s) link (what `generated` holds, per the schema of every endpoint). */
export function isWebUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === 'https:' || url.protocol === 'http:';
  } catch {
    return false;
  }
}

/** The reshape of every model whose `generated` holds links (all but Imagen 3, which adds base64). */
export function reshapeTask(raw: WireTask): ProviderTask {
  const generated = raw.generated ?? [];
  if (!generated.every(isWebUrl)) throw new UpstreamError('invalid-response');
  return { taskId: raw.task_id, status: raw.status, imageUrls: generated };
}
