import 'server-only';
import type { GenerationInput } from '../generation/schema';
import { requestJson, type UpstreamConnection } from './http';
import {
  reshapeTask,
  runwayCreateBodySchema,
  runwayListSchema,
  runwayTaskEnvelopeSchema,
  type ProviderStatus,
  type ProviderTask,
} from './schemas';

/**
 * The RunWay text-to-image adapter: the only place that knows RunWay's paths
 * and body. Another Freepik model (Mystic, Flux, …) would be a sibling module
 * with the same three functions.
 */
const PATH = '/v1/ai/text-to-image/runway';

export type CreateRequest = Required<Pick<GenerationInput, 'prompt' | 'ratio'>> & {
  seed: number;
  webhookUrl?: string;
};

export function createRunwayClient(conn: UpstreamConnection) {
  return {
    async createTask(request: CreateRequest): Promise<ProviderTask> {
      // Parse to guarantee we send exactly the contract's fields, validated.
      const body = runwayCreateBodySchema.parse({
        prompt: request.prompt,
        ratio: request.ratio,
        seed: request.seed,
        ...(request.webhookUrl ? { webhook_url: request.webhookUrl } : {}),
      });
      const res = await requestJson(conn, 'POST', PATH, runwayTaskEnvelopeSchema, body);
      return reshapeTask(res.data);
    },

    async getTask(taskId: string): Promise<ProviderTask> {
      const res = await requestJson(conn, 'GET', `${PATH}/${encodeURIComponent(taskId)}`, runwayTaskEnvelopeSchema);
      return reshapeTask(res.data);
    },

    async listTasks(): Promise<Array<{ taskId: string; status: ProviderStatus }>> {
      const res = await requestJson(conn, 'GET', PATH, runwayListSchema);
      return res.data.map((t) => ({ taskId: t.task_id, status: t.status }));
    },
  };
}

export type RunwayClient = ReturnType<typeof createRunwayClient>;
