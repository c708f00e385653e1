import 'server-only';
import { randomUUID } from 'node:crypto';
import { db } from '../db/client';
import { Prisma } from '../db/generated/client';
import type { ModelId } from '../freepik/models';
import { publishTaskChanged, publishTaskDeleted } from '../tasks/events';
import type { TaskBatch, TaskOrigin } from '../tasks/view';
import type { IngestedPicture, StoredThumbnail } from './ingest';
import { hashOfKey, isPictureKey } from './picture-keys';
import { pictureStore } from './picture-store';

/**
 * The only module that writes Image and Thumbnail rows (as
 * lib/tasks/state-machine.ts is the only writer of Task.status), and the one
 * that tells open tabs (lib/tasks/events.ts) when what they show of a picture
 * changed: lost, found again, a new thumbnail or placeholder. See
 * docs/decisions/0011-image-rows.md.
 */

type Tx = Prisma.TransactionClient;
/** Enough of an Image row to change it and to announce the change. */
export type PictureRef = { id: string; taskId: string };

/**
 * The rows of a freshly stored picture, inside the caller's transaction
 * (markCompleted moves the task to Completed in the same one, and publishes
 * after it committed). `imported` sets Image.importedSha256, whose unique
 * index refuses a second import of the same picture.
 */
export async function insertPictureRows(
  tx: Tx,
  taskId: string,
  picture: IngestedPicture,
  { imported = false }: { imported?: boolean } = {},
): Promise<string> {
  const { thumbnails, ...image } = picture;
  const imageId = randomUUID();
  await tx.image.create({ data: { id: imageId, taskId, ...image, importedSha256: imported ? image.sha256 : null } });
  if (thumbnails.length) {
    await tx.thumbnail.createMany({ data: thumbnails.map((t) => ({ id: randomUUID(), imageId, ...t })) });
  }
  return imageId;
}

export type ImportedTask = {
  prompt: string;
  ratio: string;
  seed: number | null;
  /** The model and the body the picture was made with (validated by the import against the model's schema). */
  model: ModelId;
  body: Record<string, unknown>;
  origin: TaskOrigin;
  parentId: string | null;
  favorite: boolean;
  createdAt: Date;
  finishedAt: Date | null;
  /** Variations: kept from the archive (the same batch id, so its pictures stay grouped). */
  batch?: TaskBatch | null;
};

/** `created`: the new task's id; otherwise the id of the task that already holds this picture (a concurrent import won). */
export type ImportedRows = { created: true; taskId: string } | { created: false; taskId: string };

/**
 * Writes the rows of one imported picture — Task, Image and Thumbnails — in
 * one transaction. The task is *created* already COMPLETED: a creation, not a
 * status transition, so it does not bypass lib/tasks/state-machine.ts (which
 * guards moves of existing tasks). Imports publish no events (ADR 0009: old
 * pictures are not live news).
 *
 * If another import added the same picture first — in this process or
 * another — the unique Image.importedSha256 refuses this one: nothing is
 * written and the other task is returned. Stored files that no row uses after
 * a refusal or an error are removed again.
 */
export async function createImportedPicture(task: ImportedTask, picture: IngestedPicture): Promise<ImportedRows> {
  const id = randomUUID();
  try {
    await db().$transaction(async (tx) => {
      await tx.task.create({
        data: {
          id,
          prompt: task.prompt,
          ratio: task.ratio,
          seed: task.seed === null ? null : BigInt(task.seed),
          model: task.model,
          params: JSON.stringify(task.body),
          status: 'COMPLETED',
          statusDetail: null,
          origin: task.origin,
          parentId: task.parentId,
          favorite: task.favorite,
          createdAt: task.createdAt,
          finishedAt: task.finishedAt ?? task.createdAt,
          nextCheckAt: null,
          batchId: task.batch?.id ?? null,
          batchIndex: task.batch?.index ?? null,
          batchSize: task.batch?.size ?? null,
        },
      });
      await insertPictureRows(tx, id, picture, { imported: true });
    });
    return { created: true, taskId: id };
  } catch (error) {
    const winner = isUniqueViolation(error)
      ? await db().image.findUnique({ where: { importedSha256: picture.sha256 }, select: { taskId: true } })
      : null;
    await removeUnreferencedFiles([picture.path, ...picture.thumbnails.map((t) => t.path)]);
    if (winner) return { created: false, taskId: winner.taskId };
    throw error;
  }
}

function isUniqueViolation(error: unknown): boolean {
  return error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2002';
}

/** The stored file is gone or damaged and could not be repaired. Keeps the first time it was found lost. */
export async function markLost(picture: PictureRef): Promise<boolean> {
  const { count } = await db().image.updateMany({ where: { id: picture.id, lostAt: null }, data: { lostAt: new Date() } });
  if (count === 1) publishTaskChanged(picture.taskId);
  return count === 1;
}

/** The stored file is intact again (restored from a backup, or repaired by someone else): clear the mark. */
export async function markFound(picture: PictureRef): Promise<boolean> {
  const { count } = await db().image.updateMany({ where: { id: picture.id, lostAt: { not: null } }, data: { lostAt: null } });
  if (count === 1) publishTaskChanged(picture.taskId);
  return count === 1;
}

/** A verified copy was fetched from `sourceUrl` and stored again: not lost, and that URL is the newest known. */
export async function markRepaired(picture: PictureRef, sourceUrl: string): Promise<void> {
  const { count } = await db().image.updateMany({ where: { id: picture.id }, data: { lostAt: null, sourceUrl } });
  if (count === 1) publishTaskChanged(picture.taskId);
}

/**
 * The file of `key` was written back with exactly the bytes of `sha256` (an
 * import carried the same picture): every picture stored under it is found.
 */
export async function markFileRestored(sha256: string, key: string): Promise<number> {
  const lost = await db().image.findMany({
    where: { sha256, path: key, lostAt: { not: null } },
    select: { id: true, taskId: true },
  });
  let count = 0;
  for (const picture of lost) if (await markFound(picture)) count++;
  return count;
}

/** A rendition rendered (again) at `width`, the row's key; the width requested equals the rendered one (never upscaled). */
export async function saveThumbnail(picture: PictureRef, width: number, thumb: StoredThumbnail): Promise<void> {
  const fields = { width: thumb.width, height: thumb.height, bytes: thumb.bytes, sha256: thumb.sha256, path: thumb.path };
  await db().thumbnail.upsert({
    where: { imageId_width: { imageId: picture.id, width } },
    create: { id: randomUUID(), imageId: picture.id, ...fields },
    update: fields,
  });
  publishTaskChanged(picture.taskId);
}

export async function setPlaceholder(picture: PictureRef, placeholder: string): Promise<void> {
  const { count } = await db().image.updateMany({ where: { id: picture.id }, data: { placeholder } });
  if (count === 1) publishTaskChanged(picture.taskId);
}

/**
 * Deletes tasks for good together with their Image and Thumbnail rows
 * (cascade), then the stored files no remaining row uses (content-addressed
 * files can be shared by identical pictures), and tells open tabs.
 */
export async function deleteTasksWithPictures(ids: string[]): Promise<{ tasks: number; files: number }> {
  if (!ids.length) return { tasks: 0, files: 0 };
  const images = await db().image.findMany({
    where: { taskId: { in: ids } },
    select: { path: true, thumbnails: { select: { path: true } } },
  });
  const { count } = await db().task.deleteMany({ where: { id: { in: ids } } });
  const files = await removeUnreferencedFiles(images.flatMap((image) => [image.path, ...image.thumbnails.map((t) => t.path)]));
  for (const id of ids) publishTaskDeleted(id);
  return { tasks: count, files };
}

/** Removes from the store each of these keys that no Image or Thumbnail row uses; returns how many were removed. */
export async function removeUnreferencedFiles(keys: string[]): Promise<number> {
  let removed = 0;
  for (const key of new Set(keys)) {
    // A row whose path is not a key (never written by this code) names nothing in the store.
    if (!isPictureKey(key) || (await isReferenced(key))) continue;
    await pictureStore().delete(key);
    removed++;
  }
  return removed;
}

/** Whether a row uses the key (looked up by the key's sha256, which is indexed). */
async function isReferenced(key: string): Promise<boolean> {
  const sha256 = hashOfKey(key);
  const rows = key.startsWith('thumbs/')
    ? await db().thumbnail.count({ where: { sha256, path: key } })
    : await db().image.count({ where: { sha256, path: key } });
  return rows > 0;
}

/** Of these keys, those no row uses (for the doctor's report of stray files). */
export async function unreferencedKeys(keys: string[]): Promise<string[]> {
  const shas = [...new Set(keys.map(hashOfKey))];
  const [images, thumbnails] = await Promise.all([
    db().image.findMany({ where: { sha256: { in: shas } }, select: { path: true } }),
    db().thumbnail.findMany({ where: { sha256: { in: shas } }, select: { path: true } }),
  ]);
  const used = new Set([...images, ...thumbnails].map((row) => row.path));
  return keys.filter((key) => !used.has(key));
}
