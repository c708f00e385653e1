import { randomUUID } from 'node:crypto';
import type { TaskView } from '../../lib/tasks/view';

let clock = Date.parse('2026-03-01T00:00:00Z');

/** A queued TaskView as the client sees one; each call is a second newer than the last (unless `patch` says otherwise). */
export function taskView(prompt: string, patch: Partial<TaskView> = {}): TaskView {
  return {
    id: randomUUID(),
    prompt,
    ratio: '1024:1024',
    seed: 1,
    model: 'runway',
    params: { prompt, ratio: '1024:1024', seed: 1 },
    status: 'QUEUED',
    statusDetail: null,
    origin: 'new',
    needsDecision: false,
    parentId: null,
    batch: null,
    favorite: false,
    deletedAt: null,
    createdAt: new Date((clock += 1000)).toISOString(),
    finishedAt: null,
    image: null,
    ...patch,
  };
}
