import 'server-only';
import { storedBody } from '../generation/task-body';
import { db } from '../db/client';
import type { GalleryFilter } from '../gallery/filters';
import { tasksMatching } from '../gallery/query';
import { pictureStore } from '../images/picture-store';
import { withImage, type TaskRow } from '../tasks/repository';
import { archiveFileName, MANIFEST_CSV, MANIFEST_JSON, manifestCsv, manifestJson, type ManifestTask } from './manifest';
import { prepareZip, type PreparedZip, type ZipInput } from './zip-writer';

/**
 * Export = one pass over the selection's rows to build the manifests and the
 * list of files (metadata only: memory grows with the number of tasks, never
 * with the pictures), then a zip stream that reads one picture at a time.
 */

export const MAX_EXPORT_IDS = 10_000;

export type ExportSelection = { ids: string[] } | { filter: GalleryFilter };

export type PreparedExport = {
  zip: PreparedZip;
  fileName: string;
  /** Tasks in the manifest. */
  tasks: number;
  /** Pictures in images/. */
  pictures: number;
  /** Completed tasks whose stored original is lost or missing from the store (in the manifest, without a file). */
  missing: number;
};

const BATCH = 200;

async function* rowsById(ids: string[]): AsyncGenerator<TaskRow[]> {
  for (let i = 0; i < ids.length; i += BATCH) {
    const chunk = ids.slice(i, i + BATCH);
    const rows = await db().task.findMany({ where: { id: { in: chunk } }, include: withImage });
    const byId = new Map(rows.map((row) => [row.id, row]));
    // The order the ids were given in (the selection's order); unknown ids are ignored.
    yield chunk.flatMap((id) => byId.get(id) ?? []);
  }
}

/** The original's size in the picture store when it is there with the recorded size; null otherwise. */
async function storedSize(image: NonNullable<TaskRow['image']>): Promise<number | null> {
  if (image.lostAt) return null;
  try {
    const info = await pictureStore().head(image.path);
    return info?.size === image.bytes ? info.size : null;
  } catch {
    return null;
  }
}

/**
 * Where the zip writer reads an original from: the file itself when the store
 * keeps local files, else the store's stream (`get`), opened only when the
 * entry's turn comes — one picture in flight, whatever the selection's size.
 */
function zipSourceOf(image: NonNullable<TaskRow['image']>, name: string, size: number, modified: Date): ZipInput {
  const store = pictureStore();
  const file = store.localPath(image.path);
  if (file !== null) return { name, file, size, modified };
  return {
    name,
    size,
    modified,
    async open() {
      const object = await store.get(image.path);
      if (!object) throw new Error(`${name} disappeared from the picture store during the export.`);
      if (object.size !== size) {
        object.body.destroy();
        throw new Error(`${name} changed size during the export.`);
      }
      return object.body;
    },
  };
}

export function exportFileName(now: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `darkroom-export-${now.getFullYear()}${pad(now.getMonth() + 1)}${pad(now.getDate())}-${pad(now.getHours())}${pad(now.getMinutes())}.zip`;
}

export async function prepareExport(selection: ExportSelection, now = new Date()): Promise<PreparedExport> {
  const batches = 'ids' in selection ? rowsById([...new Set(selection.ids)]) : tasksMatching(selection.filter, BATCH);
  const tasks: ManifestTask[] = [];
  const files: ZipInput[] = [];
  const names = new Set<string>();
  let missing = 0;

  for await (const rows of batches) {
    const sizes = await Promise.all(
      rows.map((row) => (row.status === 'COMPLETED' && row.image ? storedSize(row.image) : Promise.resolve(null))),
    );
    rows.forEach((row, i) => {
      const seed = row.seed === null ? null : Number(row.seed);
      const { spec, body } = storedBody(row);
      const image = row.image;
      const size = sizes[i];
      let file: string | null = null;
      if (image && size !== null) {
        file = archiveFileName({ id: row.id, prompt: row.prompt, seed }, image.mimeType, names);
        files.push(zipSourceOf(image, file, size, row.finishedAt ?? row.createdAt));
      } else if (row.status === 'COMPLETED' && image) {
        missing++;
      }
      tasks.push({
        id: row.id,
        prompt: row.prompt,
        ratio: row.ratio,
        seed,
        status: row.status,
        statusDetail: row.statusDetail,
        origin: row.origin,
        parentId: row.parentId,
        favorite: row.favorite,
        createdAt: row.createdAt.toISOString(),
        finishedAt: row.finishedAt?.toISOString() ?? null,
        file,
        sha256: image?.sha256 ?? null,
        width: image?.width ?? null,
        height: image?.height ?? null,
        mimeType: image?.mimeType ?? null,
        batchId: row.batchId,
        batchIndex: row.batchIndex,
        batchSize: row.batchSize,
        model: spec.id,
        params: body,
      });
    });
  }
  if (missing)
    console.warn(`[export] ${missing} picture(s) are lost or missing from the picture store; listed in the manifest without a file.`);

  const encoder = new TextEncoder();
  const zip = prepareZip([
    { name: MANIFEST_JSON, data: encoder.encode(manifestJson(now, tasks)), compress: true, modified: now },
    { name: MANIFEST_CSV, data: encoder.encode(manifestCsv(tasks)), compress: true, modified: now },
    ...files,
  ]);
  return { zip, fileName: exportFileName(now), tasks: tasks.length, pictures: files.length, missing };
}
