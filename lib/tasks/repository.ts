import 'server-only';
import { randomUUID } from 'node:crypto';
import { db } from '../db/client';
import type { Ratio } from '../generation/schema';
import { imageSrcSet, originalUrl } from '../images/urls';
import type { TaskStatus } from './status';
import type { TaskOrigin, TaskView } from './view';
import type { Prisma } from '../db/generated/client';

/** Data access for tasks: queries and their reshaping into TaskView. */

export const withImage = { image: { include: { thumbnails: true } } } as const;
export type TaskRow = Prisma.TaskGetPayload<{ include: typeof withImage }>;

export function toView(row: TaskRow): TaskView {
  return {
    id: row.id,
    prompt: row.prompt,
    ratio: row.ratio as Ratio,
    seed: Number(row.seed),
    status: row.status as TaskStatus,
    statusDetail: row.statusDetail,
    origin: row.origin as TaskOrigin,
    needsDecision: row.needsDecision,
    parentId: row.parentId,
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

export async function insertTask(input: {
  prompt: string;
  ratio: Ratio;
  seed: number;
  origin: TaskOrigin;
  parentId?: string | null;
  requestId?: string | null;
}): Promise<TaskView> {
  const row = await db().task.create({
    data: {
      id: randomUUID(),
      prompt: input.prompt,
      ratio: input.ratio,
      seed: BigInt(input.seed),
      origin: input.origin,
      parentId: input.parentId ?? null,
      requestId: input.requestId ?? null,
      status: 'QUEUED',
      nextCheckAt: new Date(),
    },
    include: withImage,
  });
  return toView(row);
}

export async function findTask(id: string): Promise<TaskView | null> {
  const row = await db().task.findUnique({ where: { id }, include: withImage });
  return row ? toView(row) : null;
}

export async function findTaskByRequestId(requestId: string): Promise<TaskView | null> {
  const row = await db().task.findUnique({ where: { requestId }, include: withImage });
  return row ? toView(row) : null;
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
