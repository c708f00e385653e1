import 'server-only';
import { requestJson, type UpstreamConnection } from './http';
import type { ModelSpec } from './models';
import { wireListSchema, wireTaskEnvelopeSchema, type ProviderStatus, type ProviderTask } from './schemas';

/**
 * The one upstream client for every text-to-image model (issue #13): paths, body rules and response reshaping
 * come from the model's module (lib/freepik/models), so this file never tells models apart.
 */
export function createProviderClient(conn: UpstreamConnection) {
  return {
    /** Sends a stored body (validated again here: exactly the contract's fields) plus our webhook URL. */
    async createTask(spec: ModelSpec, body: Record<string, unknown>, webhookUrl?: string): Promise<ProviderTask> {
      const sent = spec.bodySchema.parse({ ...body, ...(webhookUrl ? { webhook_url: webhookUrl } : {}) });
      const res = await requestJson(conn, 'POST', spec.path, wireTaskEnvelopeSchema, sent);
      return spec.reshape(res.data);
    },

    async getTask(spec: ModelSpec, taskId: string): Promise<ProviderTask> {
      const res = await requestJson(conn, 'GET', `${spec.path}/${encodeURIComponent(taskId)}`, wireTaskEnvelopeSchema);
      return spec.reshape(res.data);
    },

    /** The model's own list endpoint (no paging documented on any of them). */
    async listTasks(spec: ModelSpec): Promise<Array<{ taskId: string; status: ProviderStatus }>> {
      const res = await requestJson(conn, 'GET', spec.path, wireListSchema);
      return res.data.map((t) => ({ taskId: t.task_id, status: t.status }));
    },
  };
}

export type ProviderClient = ReturnType<typeof createProviderClient>;
