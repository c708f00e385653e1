import 'server-only';
import { randomUUID } from 'node:crypto';
import { db } from '../db/client';
import type { ModelId } from '../freepik/models';
import { storedBody } from '../generation/task-body';
import { imageSrcSet, originalUrl } from '../images/urls';
import type { TaskStatus } from './status';
import type { TaskBatch, TaskOrigin, TaskView } from './view';
import type { Prisma } from '../db/generated/client';

/** Data access for tasks: queries and their reshaping into TaskView. */

export const withImage = { image: { include: { thumbnails: true } } } as const;
export type TaskRow = Prisma.TaskGetPayload<{ include: typeof withImage }>;

export function toView(row: TaskRow): TaskView {
  const { spec, body } = storedBody(row);
  return {
    id: row.id,
    prompt: row.prompt,
    ratio: row.ratio,
    seed: row.seed === null ? null : Number(row.seed),
    model: spec.id,
    params: body,
    status: row.status as TaskStatus,
    statusDetail: row.statusDetail,
    origin: row.origin as TaskOrigin,
    needsDecision: row.needsDecision,
    parentId: row.parentId,
    batch: batchOf(row),
    favorite: row.favorite,
    deletedAt: row.deletedAt?.toISOString() ?? null,
    createdAt: row.createdAt.toISOString(),
    finishedAt: row.finishedAt?.toISOString() ?? null,
    image: row.image
      ? {
          url: originalUrl(row.id, row.image),
          downloadUrl: `/api/images/${row.id}?download=1`,
          width: row.image.width,
          height: row.image.height,
          srcSet: imageSrcSet(row.id, row.image, row.image.thumbnails),
          placeholder: row.image.placeholder,
          lost: row.image.lostAt !== null,
        }
      : null,
  };
}

/** The batch a row belongs to; null for a single picture (or a row whose batch columns are incomplete). */
function batchOf(row: { batchId: string | null; batchIndex: number | null; batchSize: number | null }): TaskBatch | null {
  if (row.batchId === null || row.batchIndex === null || row.batchSize === null) return null;
  return { id: row.batchId, index: row.batchIndex, size: row.batchSize };
}

export type NewTask = {
  model: ModelId;
  prompt: string;
  /** Nominal pixel size "W:H" (exact for RunWay). */
  ratio: string;
  seed: number | null;
  /** The exact body to send upstream (without webhook_url), from the model's toBody. */
  body: Record<string, unknown>;
  origin: TaskOrigin;
  parentId?: string | null;
  requestId?: string | null;
  /** Variations: this task's place in its batch; null or absent for a single picture. */
  batch?: TaskBatch | null;
};

function newTaskData(input: NewTask, now: Date) {
  return {
    id: randomUUID(),
    prompt: input.prompt,
    ratio: input.ratio,
    seed: input.seed === null ? null : BigInt(input.seed),
    model: input.model,
    params: JSON.stringify(input.body),
    origin: input.origin,
    parentId: input.parentId ?? null,
    requestId: input.requestId ?? null,
    batchId: input.batch?.id ?? null,
    batchIndex: input.batch?.index ?? null,
    batchSize: input.batch?.size ?? null,
    status: 'QUEUED',
    createdAt: now,
    nextCheckAt: now,
  } satisfies Prisma.TaskUncheckedCreateInput;
}

export async function insertTask(input: NewTask): Promise<TaskView> {
  const [task] = await insertTasks([input]);
  return task;
}

/**
 * Queued tasks, all or none (one transaction): the pictures of one submission.
 * A batch's createdAt steps back 1 ms per picture, so the newest-first gallery
 * (ordered by createdAt, then id) shows variation 1, 2, 3, 4 side by side and
 * in order; batchIndex says the order explicitly.
 */
export async function insertTasks(inputs: NewTask[]): Promise<TaskView[]> {
  const now = Date.now();
  const at = (i: number) => new Date(now - i);
  if (inputs.length === 1) {
    return [toView(await db().task.create({ data: newTaskData(inputs[0], at(0)), include: withImage }))];
  }
  const rows = await db().$transaction(inputs.map((input, i) => db().task.create({ data: newTaskData(input, at(i)), include: withImage })));
  return rows.map(toView);
}

export async function findTask(id: string): Promise<TaskView | null> {
  const row = await db().task.findUnique({ where: { id }, include: withImage });
  return row ? toView(row) : null;
}

export async function findTaskByRequestId(requestId: string): Promise<TaskView | null> {
  const row = await db().task.findUnique({ where: { requestId }, include: withImage });
  return row ? toView(row) : null;
}

/**
 * What a submission made, by its request id (the id of its first task): the
 * whole batch in batchIndex order, or the one task; empty when nothing was made.
 */
export async function findTasksByRequestId(requestId: string): Promise<TaskView[]> {
  const row = await db().task.findUnique({ where: { requestId }, include: withImage });
  if (!row) return [];
  if (row.batchId === null) return [toView(row)];
  const rows = await db().task.findMany({
    where: { batchId: row.batchId },
    orderBy: [{ batchIndex: 'asc' }, { id: 'asc' }],
    include: withImage,
  });
  return rows.map(toView);
}

/** The tasks of a batch that are still in the gallery (not in the Trash), in batchIndex order. */
export async function findLiveBatch(batchId: string): Promise<TaskView[]> {
  const rows = await db().task.findMany({
    where: { batchId, deletedAt: null },
    orderBy: [{ batchIndex: 'asc' }, { id: 'asc' }],
    include: withImage,
  });
  return rows.map(toView);
}

export function findTaskRow(id: string) {
  return db().task.findUnique({ where: { id }, include: withImage });
}

/** Unfinished tasks due for attention, oldest promise first. */
export function dueTasks(now: Date, limit: number) {
  return db().task.findMany({
    where: {
      status: { in: ['QUEUED', 'GENERATING'] },
      OR: [{ nextCheckAt: null }, { nextCheckAt: { lte: now } }],
    },
    orderBy: [{ nextCheckAt: { sort: 'asc', nulls: 'first' } }, { createdAt: 'asc' }],
    take: limit,
  });
}

export function nextDueAt(): Promise<Date | null> {
  return db()
    .task.findFirst({
      where: { status: { in: ['QUEUED', 'GENERATING'] } },
      orderBy: { nextCheckAt: { sort: 'asc', nulls: 'first' } },
      select: { nextCheckAt: true },
    })
    .then((row) => (row ? (row.nextCheckAt ?? new Date(0)) : null));
}

/** The task following this provider task, if any (webhooks and reconciliation). */
export function findTaskRowByProviderId(providerTaskId: string) {
  return db().task.findUnique({ where: { providerTaskId } });
}

/** Which of these provider task ids are already ours. */
export async function knownProviderTaskIds(ids: string[]): Promise<Set<string>> {
  const known = new Set<string>();
  for (let i = 0; i < ids.length; i += 500) {
    const rows = await db().task.findMany({
      where: { providerTaskId: { in: ids.slice(i, i + 500) } },
      select: { providerTaskId: true },
    });
    for (const row of rows) if (row.providerTaskId) known.add(row.providerTaskId);
  }
  return known;
}

/** Remember a webhook delivery; false when this webhook-id was already handled. */
export async function recordWebhookDelivery(id: string, providerTaskId: string, status: string): Promise<boolean> {
  try {
    await db().webhookDelivery.create({ data: { id, providerTaskId, status } });
    return true;
  } catch (error) {
    if ((error as { code?: string }).code === 'P2002') return false;
    throw error;
  }
}
