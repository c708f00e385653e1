import { z } from 'zod';

/**
 * What the boards routes answer and the browser parses (lib/client/boards-query.ts) — one schema for
 * both. Client-safe.
 */

/** A board's cover: its newest (by creation) completed picture that is not in the Trash, as TaskView's image URLs. */
export const boardCoverSchema = z.object({
  taskId: z.string(),
  url: z.string(),
  srcSet: z.string(),
  width: z.number().int(),
  height: z.number().int(),
  /** Tiny blurred preview (data: URL) to show while the cover loads. */
  placeholder: z.string().nullable(),
});
export type BoardCover = z.infer<typeof boardCoverSchema>;

export const boardViewSchema = z.object({
  id: z.string(),
  name: z.string(),
  /** Pictures on the board that are not in the Trash: what the board view lists. */
  count: z.number().int().min(0),
  cover: boardCoverSchema.nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type BoardView = z.infer<typeof boardViewSchema>;

/** GET /api/boards: every board, by name. */
export const boardListSchema = z.object({ boards: z.array(boardViewSchema) });
export type BoardList = z.infer<typeof boardListSchema>;

/** GET /api/tasks/<id>/boards: the boards one picture is on, by name. */
export const taskBoardsSchema = z.object({
  taskId: z.string(),
  boards: z.array(z.object({ id: z.string(), name: z.string() })),
});
export type TaskBoards = z.infer<typeof taskBoardsSchema>;

/** For a set of pictures (a selection): how many of them each board holds; boards holding none are left out. */
export type BoardMembership = { total: number; boards: Array<{ id: string; count: number }> };
