import 'server-only';
import { storedBody } from '../generation/task-body';
import { withDeploymentLock } from '../db/deployment-lock';
import { db } from '../db/client';
import { ingestPicture } from '../images/ingest';
import { pictureStore, sha256 } from '../images/picture-store';
import { createImportedPicture, markFileRestored } from '../images/records';
import { ImageVerificationError } from '../images/verify';
import {
  importedBatchOf,
  MANIFEST_JSON,
  MANIFEST_VERSION,
  manifestEnvelopeSchema,
  manifestTaskSchema,
  type ImportableTask,
} from './manifest';
import type { ImportReport } from './import-result';
import { openZip, ZipFormatError, type ZipArchive, type ZipLimits } from './zip-reader';

export type { ImportError, ImportReport } from './import-result';

/**
 * Import of an export zip: pictures only. Every picture is checked three
 * ways — the zip's CRC-32, the manifest's sha256, and (lib/images/verify.ts
 * via ingestPicture) its header's dimensions, which must be exactly its
 * ratio's size before anything is decoded, then a full decode — and skipped as a
 * duplicate when a picture with the same sha256 is already stored. Tasks
 * without a picture (failed, unfinished, lost) are counted as skipped: there
 * is nothing to show or reproduce from them that a new generation would not
 * give. Imported tasks get new ids; parent links are kept when the parent is
 * in the archive (imported or duplicate) or already here under its id.
 */

export type ImportProgress = { done: number; total: number };

/** The whole archive is unusable (not a zip, not Darkroom's, damaged directory, too big). */
export class ArchiveRejectedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ArchiveRejectedError';
  }
}

export const IMPORT_ZIP_LIMITS: ZipLimits = {
  maxEntries: 0xfffe,
  maxEntrySize: 256 * 1024 * 1024,
  maxTotalSize: 8 * 1024 * 1024 * 1024,
};
const MAX_MANIFEST_BYTES = 64 * 1024 * 1024;
const MAX_LISTED_ERRORS = 100;

// One import at a time per process, so two imports of the same archive do not
// ingest (verify, render thumbnails) the same pictures twice. Correctness does
// not rest on this queue: the database refuses a second row for a picture an
// import already added (Image.importedSha256 is unique, lib/images/records.ts),
// across processes too — the loser counts it as a duplicate.
let queue: Promise<unknown> = Promise.resolve();
function serialized<T>(work: () => Promise<T>): Promise<T> {
  // In this process a queue; across instances (PostgreSQL) an advisory lock as well.
  const locked = () => withDeploymentLock('import', work);
  const run = queue.then(locked, locked);
  queue = run.catch(() => undefined);
  return run;
}

export function importArchive(zipPath: string, onProgress?: (progress: ImportProgress) => void): Promise<ImportReport> {
  return serialized(async () => {
    let archive: ZipArchive;
    try {
      archive = await openZip(zipPath, IMPORT_ZIP_LIMITS);
    } catch (error) {
      if (error instanceof ZipFormatError) throw new ArchiveRejectedError(error.message);
      throw error;
    }
    try {
      return await importFrom(archive, onProgress);
    } finally {
      await archive.close();
    }
  });
}

async function readManifest(archive: ZipArchive): Promise<unknown[]> {
  const entry = archive.get(MANIFEST_JSON);
  if (!entry) throw new ArchiveRejectedError('This zip has no manifest.json: it was not made by Darkroom’s Export.');
  let parsed: unknown;
  try {
    parsed = JSON.parse((await archive.read(entry, MAX_MANIFEST_BYTES)).toString('utf8'));
  } catch (error) {
    if (error instanceof ZipFormatError) throw new ArchiveRejectedError(`manifest.json: ${error.message}`);
    throw new ArchiveRejectedError('manifest.json is not valid JSON.');
  }
  const envelope = manifestEnvelopeSchema.safeParse(parsed);
  if (!envelope.success) throw new ArchiveRejectedError('manifest.json does not look like a Darkroom export manifest.');
  if (envelope.data.version !== MANIFEST_VERSION) {
    throw new ArchiveRejectedError(
      `manifest.json is version ${envelope.data.version}; this Darkroom reads version ${MANIFEST_VERSION}. Update Darkroom to import it.`,
    );
  }
  return envelope.data.tasks;
}

/** Parents before children, so a child's link can be resolved when it is created. */
function parentsFirst(tasks: ImportableTask[]): ImportableTask[] {
  const byId = new Map(tasks.map((t) => [t.id, t]));
  const ordered: ImportableTask[] = [];
  const visited = new Set<string>();
  const visit = (task: ImportableTask) => {
    // Iterative walk up the lineage (no recursion depth limit), guarded against cycles.
    const chain: ImportableTask[] = [];
    let current: ImportableTask | undefined = task;
    while (current && !visited.has(current.id)) {
      visited.add(current.id);
      chain.push(current);
      current = current.parentId ? byId.get(current.parentId) : undefined;
    }
    ordered.push(...chain.reverse());
  };
  for (const task of tasks) visit(task);
  return ordered;
}

async function importFrom(archive: ZipArchive, onProgress?: (progress: ImportProgress) => void): Promise<ImportReport> {
  const rawTasks = await readManifest(archive);
  const report: ImportReport = { imported: 0, duplicates: 0, restored: 0, skipped: 0, errors: [], moreErrors: 0 };
  const fail = (file: string | null, prompt: string | null, error: string) => {
    if (report.errors.length < MAX_LISTED_ERRORS) report.errors.push({ file, prompt, error });
    else report.moreErrors++;
  };

  const valid: ImportableTask[] = [];
  const seenIds = new Set<string>();
  rawTasks.forEach((raw, index) => {
    const parsed = manifestTaskSchema.safeParse(raw);
    const looksLike = raw as { file?: unknown; prompt?: unknown } | null;
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      fail(
        typeof looksLike?.file === 'string' ? looksLike.file : null,
        typeof looksLike?.prompt === 'string' ? looksLike.prompt.slice(0, 200) : null,
        `Task ${index + 1} in manifest.json is invalid (${issue.path.join('.') || 'entry'}: ${issue.message}).`,
      );
    } else if (seenIds.has(parsed.data.id)) {
      fail(parsed.data.file ?? null, parsed.data.prompt, 'This task is listed twice in manifest.json.');
    } else {
      seenIds.add(parsed.data.id);
      valid.push(parsed.data);
    }
  });

  const total = valid.length;
  let done = 0;
  const tick = () => onProgress?.({ done: ++done, total });
  onProgress?.({ done, total });

  // Archived task id → id of the task holding that picture here (imported or already present).
  const idMap = new Map<string, string>();
  for (const task of parentsFirst(valid)) {
    try {
      const outcome = await importOne(archive, task, idMap);
      if (outcome === 'imported') report.imported++;
      else if (outcome === 'skipped') report.skipped++;
      else {
        report.duplicates++;
        if (outcome === 'restored') report.restored++;
      }
    } catch (error) {
      fail(task.file ?? null, task.prompt, describe(error));
    }
    tick();
  }
  return report;
}

function describe(error: unknown): string {
  if (error instanceof ZipFormatError || error instanceof ImageVerificationError || error instanceof ImportEntryError) {
    return error.message;
  }
  console.error('[import] unexpected error:', error instanceof Error ? error.message : error);
  return 'Darkroom could not store this picture.';
}

class ImportEntryError extends Error {}

type Outcome = 'imported' | 'duplicate' | 'restored' | 'skipped';

async function importOne(archive: ZipArchive, task: ImportableTask, idMap: Map<string, string>): Promise<Outcome> {
  if (task.status !== 'COMPLETED' || !task.file) return 'skipped';
  if (!task.sha256) throw new ImportEntryError('The manifest has no sha256 for this picture.');
  const entry = archive.get(task.file);
  if (!entry || entry.isDirectory) throw new ImportEntryError(`${task.file} is missing from the zip.`);
  const bytes = await archive.read(entry, IMPORT_ZIP_LIMITS.maxEntrySize);
  if (sha256(bytes) !== task.sha256) {
    throw new ImportEntryError(`${task.file} does not match the sha256 recorded in the manifest (damaged or altered).`);
  }

  const existing = await db().image.findFirst({
    where: { sha256: task.sha256 },
    select: { taskId: true, path: true, lostAt: true },
    orderBy: { lostAt: { sort: 'asc', nulls: 'first' } },
  });
  if (existing) {
    idMap.set(task.id, existing.taskId);
    if (!existing.lostAt) return 'duplicate';
    // The file was lost here and the archive holds the very same bytes: put them back.
    await pictureStore().put(existing.path, bytes);
    await markFileRestored(task.sha256, existing.path);
    return 'restored';
  }

  const { spec, body } = storedBody({
    model: task.model ?? null,
    params: task.params ?? null,
    prompt: task.prompt,
    ratio: task.ratio,
    seed: task.seed,
  });
  const picture = await ingestPicture(bytes, task.ratio, null, 'upload', spec.shapeOnly);
  const parentId = await resolveParent(task.parentId ?? null, idMap);
  const rows = await createImportedPicture(
    {
      prompt: task.prompt,
      ratio: task.ratio,
      seed: task.seed,
      model: spec.id,
      body,
      origin: task.origin,
      parentId,
      favorite: task.favorite,
      createdAt: new Date(task.createdAt),
      finishedAt: task.finishedAt ? new Date(task.finishedAt) : null,
      batch: importedBatchOf(task),
    },
    picture,
  );
  idMap.set(task.id, rows.taskId);
  // Not created: another import (in this process or another) added this picture first.
  return rows.created ? 'imported' : 'duplicate';
}

async function resolveParent(archivedParentId: string | null, idMap: Map<string, string>): Promise<string | null> {
  if (!archivedParentId) return null;
  const mapped = idMap.get(archivedParentId);
  if (mapped) return mapped;
  // Not in the archive (or without a picture): keep the link if that task lives here (re-import into its origin).
  const here = await db().task.findUnique({ where: { id: archivedParentId }, select: { id: true } });
  return here?.id ?? null;
}
