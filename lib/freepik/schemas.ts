import { z } from 'zod';
import { promptSchema, ratioSchema, seedSchema } from '../generation/schema';

/** Upstream task statuses (contract). */
export const providerStatusSchema = z.enum(['CREATED', 'IN_PROGRESS', 'COMPLETED', 'FAILED']);
export type ProviderStatus = z.infer<typeof providerStatusSchema>;

/** The create body: exactly the contract's fields, nothing more. */
export const runwayCreateBodySchema = z.strictObject({
  prompt: promptSchema,
  ratio: ratioSchema,
  seed: seedSchema,
  webhook_url: z.url().optional(),
});
export type RunwayCreateBody = z.infer<typeof runwayCreateBodySchema>;

export const runwayTaskSchema = z.object({
  task_id: z.string().min(1),
  status: providerStatusSchema,
  generated: z.array(z.string().url()).default([]),
});

export const runwayTaskEnvelopeSchema = z.object({ data: runwayTaskSchema });

export const runwayListSchema = z.object({
  data: z.array(z.object({ task_id: z.string().min(1), status: providerStatusSchema })),
});

export const errorBodySchema = z
  .object({
    message: z.string().optional(),
    invalid_params: z.array(z.object({ name: z.string(), reason: z.string() })).optional(),
  })
  .loose();

/** Our shape of an upstream task, independent of the wire format. */
export type ProviderTask = { taskId: string; status: ProviderStatus; imageUrls: string[] };

export function reshapeTask(raw: z.infer<typeof runwayTaskSchema>): ProviderTask {
  return { taskId: raw.task_id, status: raw.status, imageUrls: raw.generated };
}
