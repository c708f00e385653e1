import 'server-only';
import { randomUUID } from 'node:crypto';
import { db } from '../db/client';
import type { Ratio } from '../generation/schema';
import type { TaskStatus } from './status';
import type { TaskOrigin, TaskPage, TaskView } from './view';
import type { Prisma } from '../db/generated/client';

/** Data access for tasks: queries and their reshaping into TaskView. */

const withImage = { image: true } as const;
type TaskRow = Prisma.TaskGetPayload<{ include: typeof withImage }>;

export function toView(row: TaskRow): TaskView {
  return {
    id: row.id,
    prompt: row.prompt,
    ratio: row.ratio as Ratio,
    seed: Number(row.seed),
    status: row.status as TaskStatus,
    statusDetail: row.statusDetail,
    origin: row.origin as TaskOrigin,
    parentId: row.parentId,
    createdAt: row.createdAt.toISOString(),
    finishedAt: row.finishedAt?.toISOString() ?? null,
    image: row.image
      ? {
          // The hash in the URL makes it immutable, so browsers may cache it forever.
          url: `/api/images/${row.id}?v=${row.image.sha256.slice(0, 16)}`,
          downloadUrl: `/api/images/${row.id}?download=1`,
          width: row.image.width,
          height: row.image.height,
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

// Cursor = the last row's (createdAt, id): stable while new tasks arrive on top.
function encodeCursor(row: { createdAt: Date; id: string }): string {
  return Buffer.from(`${row.createdAt.toISOString()}|${row.id}`).toString('base64url');
}

function decodeCursor(cursor: string): { createdAt: Date; id: string } | null {
  const [iso, id] = Buffer.from(cursor, 'base64url').toString().split('|');
  const createdAt = new Date(iso ?? '');
  return id && !Number.isNaN(createdAt.getTime()) ? { createdAt, id } : null;
}

export async function listTasks({
  query = '',
  cursor,
  limit = 48,
}: {
  query?: string;
  cursor?: string | null;
  limit?: number;
}): Promise<TaskPage> {
  const words = query.trim().split(/\s+/).filter(Boolean).slice(0, 8);
  const after = cursor ? decodeCursor(cursor) : null;
  const where: Prisma.TaskWhereInput = {
    AND: [
      ...words.map((word) => ({ prompt: { contains: word } })),
      ...(after
        ? [
            {
              OR: [
                { createdAt: { lt: after.createdAt } },
                { createdAt: after.createdAt, id: { lt: after.id } },
              ],
            },
          ]
        : []),
    ],
  };
  const rows = await db().task.findMany({
    where,
    include: withImage,
    orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
    take: limit + 1,
  });
  const page = rows.slice(0, limit);
  return {
    tasks: page.map(toView),
    nextCursor: rows.length > limit ? encodeCursor(page[page.length - 1]) : null,
  };
}

/** Unfinished tasks due for attention, oldest promise first. */
export function dueTasks(now: Date, limit: number) {
  return db().task.findMany({
    where: {
      status: { in: ['QUEUED', 'GENERATING'] },
      OR: [{ nextCheckAt: null }, { nextCheckAt: { lte: now } }],
    },
    orderBy: [{ nextCheckAt: 'asc' }, { createdAt: 'asc' }],
    take: limit,
  });
}

export function nextDueAt(): Promise<Date | null> {
  return db()
    .task.findFirst({
      where: { status: { in: ['QUEUED', 'GENERATING'] } },
      orderBy: { nextCheckAt: 'asc' },
      select: { nextCheckAt: true },
    })
    .then((row) => (row ? (row.nextCheckAt ?? new Date(0)) : null));
}

export async function deleteTask(id: string): Promise<{ imagePath: string | null } | null> {
  const row = await db().task.findUnique({ where: { id }, include: withImage });
  if (!row) return null;
  await db().task.delete({ where: { id } });
  // Content-addressed files may be shared by identical pictures: keep the file
  // while another row still points at it.
  if (!row.image) return { imagePath: null };
  const others = await db().image.count({ where: { sha256: row.image.sha256 } });
  return { imagePath: others === 0 ? row.image.path : null };
}
