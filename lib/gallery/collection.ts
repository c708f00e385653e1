import 'server-only';
import { db } from '../db/client';
import { deleteTasksWithPictures } from '../images/records';
import { publishTaskChanged } from '../tasks/events';
import { findTask, toView, withImage } from '../tasks/repository';
import type { TaskView } from '../tasks/view';

/**
 * Organising the collection: favorites, the Trash, lineage. Deleting moves to
 * the Trash (undoable); files are removed only when the Trash is emptied.
 */
const MAX_BULK = 10_000;

function announce(ids: string[]) {
  for (const id of ids) publishTaskChanged(id);
}

export async function setFavorite(ids: string[], favorite: boolean): Promise<number> {
  const { count } = await db().task.updateMany({ where: { id: { in: ids.slice(0, MAX_BULK) } }, data: { favorite } });
  announce(ids);
  return count;
}

export async function moveToTrash(ids: string[]): Promise<number> {
  const { count } = await db().task.updateMany({
    where: { id: { in: ids.slice(0, MAX_BULK) }, deletedAt: null },
    data: { deletedAt: new Date() },
  });
  announce(ids);
  return count;
}

export async function restoreFromTrash(ids: string[]): Promise<number> {
  const { count } = await db().task.updateMany({
    where: { id: { in: ids.slice(0, MAX_BULK) }, deletedAt: { not: null } },
    data: { deletedAt: null },
  });
  announce(ids);
  return count;
}

/** Deletes every task in the Trash, its picture rows and the files no remaining picture uses. */
export async function emptyTrash(): Promise<{ tasks: number; files: number }> {
  const doomed = await db().task.findMany({ where: { deletedAt: { not: null } }, select: { id: true } });
  return deleteTasksWithPictures(doomed.map((t) => t.id));
}

/** A picture's family: where it came from and what was made from it. */
export async function lineageOf(id: string): Promise<{ task: TaskView; parent: TaskView | null; children: TaskView[] } | null> {
  const task = await findTask(id);
  if (!task) return null;
  const parent = task.parentId ? await findTask(task.parentId) : null;
  const children = await db().task.findMany({
    where: { parentId: id },
    include: withImage,
    orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
    take: 100,
  });
  return { task, parent, children: children.map(toView) };
}
