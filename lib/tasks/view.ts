import { z } from 'zod';
import { MODEL_IDS } from '../freepik/models/types';
import { TASK_STATUSES } from './status';

/**
 * What the browser sees of a task: our own image URL, never the provider's.
 * The GET routes return it and the client parses it with the same schema.
 */
export const taskViewSchema = z.object({
  id: z.string(),
  prompt: z.string(),
  /** The pixel size asked for, "W:H": exact for RunWay, nominal for models with named aspect ratios. */
  ratio: z.string().regex(/^\d{1,5}:\d{1,5}$/),
  /** Null for a model without a seed (Imagen 3, Mystic). */
  seed: z.number().int().nullable(),
  model: z.enum(MODEL_IDS),
  /** The exact body sent upstream (the model's settings included); webhook_url is never part of it. */
  params: z.record(z.string(), z.unknown()),
  status: z.enum(TASK_STATUSES),
  statusDetail: z.string().nullable(),
  origin: z.enum(['new', 'reproduce', 'new-seed', 'retry']),
  /** The create's outcome is unknown and a person must choose: send again or discard. */
  needsDecision: z.boolean(),
  parentId: z.string().nullable(),
  /** Variations: the batch this picture belongs to (index 0…size−1), or null for a single picture. */
  batch: z
    .object({
      id: z.string(),
      index: z.number().int(),
      size: z.number().int(),
    })
    .nullable(),
  favorite: z.boolean(),
  /** Set while the task is in the Trash. */
  deletedAt: z.string().nullable(),
  createdAt: z.string(),
  finishedAt: z.string().nullable(),
  image: z
    .object({
      url: z.string(),
      downloadUrl: z.string(),
      width: z.number(),
      height: z.number(),
      /** WebP thumbnails and the original as `srcset` candidates. */
      srcSet: z.string(),
      /** Tiny blurred preview (data: URL) to show while the picture loads. */
      placeholder: z.string().nullable(),
      /** The stored file is gone and could not be fetched again. */
      lost: z.boolean(),
    })
    .nullable(),
});
export type TaskView = z.infer<typeof taskViewSchema>;
export type TaskOrigin = TaskView['origin'];
export type TaskBatch = NonNullable<TaskView['batch']>;

export const taskPageSchema = z.object({
  tasks: z.array(taskViewSchema),
  nextCursor: z.string().nullable(),
});
export type TaskPage = z.infer<typeof taskPageSchema>;
