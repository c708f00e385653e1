import { z } from 'zod';
import { PROMPT_CAP as MODEL_PROMPT_CAP } from '../freepik/models/named';
import { seedSchema, VARIATIONS_MAX } from '../generation/schema';
import { storedBody } from '../generation/task-body';
import { downloadFileName } from '../images/file-name';
import { TASK_STATUSES } from '../tasks/status';
import { csvRecord } from './csv';

/**
 * What an export zip says about its pictures: `manifest.json` (authoritative,
 * read back by Import) and `manifest.csv` (the same columns, for spreadsheets).
 * Every task of the selection is listed, pictures or not; `file` is the entry
 * under `images/` holding the original, or null when there is none (failed,
 * unfinished, or its stored file is lost).
 *
 * Fields are only ever added, optional on reading (null or absent), within
 * version 1: an older Darkroom ignores what it does not know (zod strips
 * unknown keys) and old archives read as before. Added so far: batchId,
 * batchIndex, batchSize (Variations; null for a single picture).
 */

export const MANIFEST_VERSION = 1;
export const MANIFEST_JSON = 'manifest.json';
export const MANIFEST_CSV = 'manifest.csv';
export const IMAGES_FOLDER = 'images/';

export const MANIFEST_COLUMNS = [
  'id',
  'prompt',
  'ratio',
  'seed',
  'status',
  'statusDetail',
  'origin',
  'parentId',
  'favorite',
  'createdAt',
  'finishedAt',
  'file',
  'sha256',
  'width',
  'height',
  'mimeType',
  'batchId',
  'batchIndex',
  'batchSize',
  'model',
  'params',
] as const;

export type ManifestTask = {
  id: string;
  prompt: string;
  ratio: string;
  /** Null for a model without a seed (Imagen 3, Mystic). */
  seed: number | null;
  status: string;
  statusDetail: string | null;
  origin: string;
  parentId: string | null;
  favorite: boolean;
  createdAt: string;
  finishedAt: string | null;
  file: string | null;
  sha256: string | null;
  width: number | null;
  height: number | null;
  mimeType: string | null;
  /** Variations: the batch and this picture's place in it; all three null for a single picture. */
  batchId: string | null;
  batchIndex: number | null;
  batchSize: number | null;
  /** The model (lib/freepik/models) and the exact body it was sent (JSON in the CSV). Absent before issue #13: RunWay. */
  model: string;
  params: Record<string, unknown>;
};

export type Manifest = { version: typeof MANIFEST_VERSION; exportedAt: string; count: number; tasks: ManifestTask[] };

export function manifestJson(exportedAt: Date, tasks: ManifestTask[]): string {
  const manifest: Manifest = { version: MANIFEST_VERSION, exportedAt: exportedAt.toISOString(), count: tasks.length, tasks };
  return `${JSON.stringify(manifest, null, 1)}\n`;
}

/**
 * RFC 4180, with a UTF-8 byte order mark so spreadsheet programs do not
 * mangle non-ASCII prompts. Values are verbatim (no formula escaping): the
 * JSON manifest is the machine-readable copy.
 */
export function manifestCsv(tasks: ManifestTask[]): string {
  let text = `\ufeff${csvRecord(MANIFEST_COLUMNS)}`;
  for (const task of tasks) {
    text += csvRecord(MANIFEST_COLUMNS.map((column) => (column === 'params' ? JSON.stringify(task.params) : task[column])));
  }
  return text;
}

/** `images/<prompt words>-seed-<seed>-<first 8 of the id>.<ext>`, unique within one archive. */
export function archiveFileName(task: { id: string; prompt: string; seed: number | null }, mimeType: string, taken: Set<string>): string {
  const base = downloadFileName(task.prompt, task.seed, mimeType);
  const dot = base.lastIndexOf('.');
  const [stem, ext] = [base.slice(0, dot), base.slice(dot)];
  // Eight hex digits collide now and then among thousands of ids: fall back to the whole id.
  let name = `${IMAGES_FOLDER}${stem}-${task.id.slice(0, 8)}${ext}`;
  if (taken.has(name)) name = `${IMAGES_FOLDER}${stem}-${task.id}${ext}`;
  taken.add(name);
  return name;
}

// ---------------------------------------------------------------------------
// Reading a manifest back (Import): untrusted input, validated per task so
// one bad entry does not sink the rest.

export const manifestEnvelopeSchema = z.object({
  version: z.number(),
  tasks: z.array(z.unknown()).max(100_000),
});

const isoDate = z.iso.datetime({ offset: true });

export const manifestTaskSchema = z
  .object({
    id: z.string().min(1).max(200),
    // The model's own rules (prompt cap, sizes, seed range, body) are checked on the whole entry below.
    prompt: z.string().min(1).max(MODEL_PROMPT_CAP),
    ratio: z.string().regex(/^\d{1,5}:\d{1,5}$/),
    seed: seedSchema.nullable(),
    status: z.enum(TASK_STATUSES),
    statusDetail: z.string().max(2000).nullable().optional(),
    origin: z.enum(['new', 'reproduce', 'new-seed', 'retry']).catch('new'),
    parentId: z.string().max(200).nullable().optional(),
    favorite: z.boolean().catch(false),
    createdAt: isoDate,
    finishedAt: isoDate.nullable().optional(),
    file: z.string().max(1000).nullable().optional(),
    sha256: z
      .string()
      .regex(/^[0-9a-f]{64}$/)
      .nullable()
      .optional(),
    // Absent in archives made before Variations; a malformed value drops the batch, not the picture.
    batchId: z.uuid().nullable().optional().catch(null),
    batchIndex: z
      .number()
      .int()
      .min(0)
      .max(VARIATIONS_MAX - 1)
      .nullable()
      .optional()
      .catch(null),
    batchSize: z.number().int().min(2).max(VARIATIONS_MAX).nullable().optional().catch(null),
    // Absent in archives made before issue #13: a RunWay task, its body being prompt, ratio and seed.
    model: z.string().max(40).optional(),
    params: z.record(z.string(), z.unknown()).nullable().optional(),
  })
  .superRefine((task, ctx) => {
    // The entry must be a task its model could have made, and its columns must agree with its body.
    const problem = (message: string) => ctx.addIssue({ code: 'custom', message });
    let checked: ReturnType<typeof storedBody>;
    try {
      checked = storedBody({
        model: task.model ?? null,
        params: task.params ?? null,
        prompt: task.prompt,
        ratio: task.ratio,
        seed: task.seed,
      });
    } catch {
      return problem('not a request its model accepts');
    }
    const { spec, body } = checked;
    const size = spec.expectedSize(body);
    if (body.prompt !== task.prompt) problem('the prompt differs from the one sent');
    if (`${size.width}:${size.height}` !== task.ratio) problem('the ratio differs from the size asked for');
    if ((typeof body.seed === 'number' ? body.seed : null) !== task.seed) problem('the seed differs from the one sent');
    if (spec.id === 'runway' && task.seed === null) problem('a RunWay picture always has a seed');
    if (spec.promptMaxDocumented && task.prompt.length > spec.promptMax) problem('the prompt is too long for its model');
  });

export type ImportableTask = z.infer<typeof manifestTaskSchema>;

/** The batch an imported task belongs to, when the manifest says so consistently; else null (a single picture). */
export function importedBatchOf(task: ImportableTask): { id: string; index: number; size: number } | null {
  const { batchId, batchIndex, batchSize } = task;
  if (batchId == null || batchIndex == null || batchSize == null || batchIndex >= batchSize) return null;
  return { id: batchId, index: batchIndex, size: batchSize };
}
