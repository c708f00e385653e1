import { z } from 'zod';

/**
 * A board's name: what people type, trimmed (inner runs of spaces made one), 1–60 characters. Pure and
 * client-safe: the server (lib/boards/boards.ts) and the forms (components/add-to-board.tsx,
 * components/boards-dialog.tsx) validate with the same schema.
 */
export const BOARD_NAME_MAX = 60;

export const boardNameSchema = z.preprocess(
  (v) => (typeof v === 'string' ? v.replace(/\s+/g, ' ').trim() : v),
  z
    .string({ error: 'Give the board a name.' })
    .min(1, 'Give the board a name.')
    .max(BOARD_NAME_MAX, `Keep the name to ${BOARD_NAME_MAX} characters.`),
);

export const DUPLICATE_BOARD_NAME = 'A board with that name exists.';

/**
 * The name as the unique index compares it (Board.nameKey): "Trip", "trip" and "ＴＲＩＰ" are one
 * name. NFKC folds compatibility forms (full-width letters, ligatures), then lower case — JavaScript's
 * locale-independent mapping, so the key never depends on the server's locale.
 */
export function boardNameKey(name: string): string {
  return name.replace(/\s+/g, ' ').trim().normalize('NFKC').toLowerCase();
}
