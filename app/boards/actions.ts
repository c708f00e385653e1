'use server';

import { z } from 'zod';
import {
  addToBoard,
  BOARD_GONE,
  boardMembership,
  createBoard,
  deleteBoard,
  MAX_BOARD_IDS,
  removeFromBoard,
  renameBoard,
} from '@/lib/boards/boards';
import type { BoardMembership, BoardView } from '@/lib/boards/view';
import { fail, ok, type Result } from '@/lib/result';

/**
 * Boards (issue #12): create, rename, delete, and pictures on and off a board — server actions returning
 * typed results. Everything arriving here is untrusted; names are validated by lib/boards (the same schema
 * the forms use), ids here. Reads are GET routes (/api/boards, /api/tasks/<id>/boards), except the
 * membership of a selection, which may be 10,000 ids long (too long for a URL).
 */

const idSchema = z.uuid();
const idsSchema = z.array(z.uuid()).min(1).max(MAX_BOARD_IDS);

export async function createBoardAction(name: string): Promise<Result<{ board: BoardView }, 'name'>> {
  return createBoard(name);
}

export async function renameBoardAction(boardId: string, name: string): Promise<Result<{ board: BoardView }, 'name'>> {
  const id = idSchema.safeParse(boardId);
  if (!id.success) return fail(BOARD_GONE);
  return renameBoard(id.data, name);
}

/** Deletes the board only: its pictures stay in the gallery (and on their other boards). */
export async function deleteBoardAction(boardId: string): Promise<Result<{ id: string }>> {
  const id = idSchema.safeParse(boardId);
  if (!id.success) return fail(BOARD_GONE);
  return deleteBoard(id.data);
}

/** Puts pictures on a board; those already on it stay as they are. */
export async function addToBoardAction(boardId: string, taskIds: string[]): Promise<Result<{ added: number }>> {
  const id = idSchema.safeParse(boardId);
  if (!id.success) return fail(BOARD_GONE);
  const ids = idsSchema.safeParse(taskIds);
  if (!ids.success) return fail('Nothing to add.');
  return addToBoard(id.data, ids.data);
}

/** Takes pictures off a board; they stay in the gallery. */
export async function removeFromBoardAction(boardId: string, taskIds: string[]): Promise<Result<{ removed: number }>> {
  const id = idSchema.safeParse(boardId);
  if (!id.success) return fail(BOARD_GONE);
  const ids = idsSchema.safeParse(taskIds);
  if (!ids.success) return fail('Nothing to remove.');
  return removeFromBoard(id.data, ids.data);
}

/** For "Add to board" on a selection: how many of these pictures each board already holds. */
export async function boardMembershipAction(taskIds: string[]): Promise<Result<BoardMembership>> {
  const ids = idsSchema.safeParse(taskIds);
  if (!ids.success) return fail('Nothing selected.');
  return ok(await boardMembership(ids.data));
}
