import 'server-only';
import { db } from '../db/client';
import { removeStoredImage } from '../images/store';
import { publishTaskChanged, publishTaskDeleted } from '../tasks/events';
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

/** Deletes every task in the Trash and the files no remaining picture uses. */
export async function emptyTrash(): Promise<{ tasks: number; files: number }> {
  const doomed = await db().task.findMany({ where: { deletedAt: { not: null } }, include: withImage });
  if (!doomed.length) return { tasks: 0, files: 0 };
  const ids = doomed.map((t) => t.id);
  await db().task.deleteMany({ where: { id: { in: ids } } });
  // Content-addressed files can be shared by identical pictures: keep what others still use.
  const candidates = doomed.flatMap((t) =>
    t.image ? [{ sha256: t.image.sha256, path: t.image.path }, ...t.image.thumbnails.map((th) => ({ sha256: th.sha256, path: th.path }))] : [],
  );
  let files = 0;
  for (const file of candidates) {
    const stillUsed =
      (await db().image.count({ where: { path: file.path } })) + (await db().thumbnail.count({ where: { path: file.path } }));
    if (!stillUsed) {
      await removeStoredImage(file.path);
      files++;
    }
  }
  for (const id of ids) publishTaskDeleted(id);
  return { tasks: ids.length, files };
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
