/**
 * What POST /api/import answers (client-safe types: the import form parses
 * the answer, the server produces it).
 */

export type ImportError = { file: string | null; prompt: string | null; error: string };

export type ImportReport = {
  imported: number;
  /** Pictures already stored here (same sha256): not added again. */
  duplicates: number;
  /** Of the duplicates, pictures whose stored file was lost here and is now back. */
  restored: number;
  /** Tasks without a picture in the archive (failed, unfinished, lost). */
  skipped: number;
  errors: ImportError[];
  /** Errors beyond the ones listed (the list is capped). */
  moreErrors: number;
};

export type ImportResult = ({ ok: true } & ImportReport) | { ok: false; error: string };

/** Lines of the `application/x-ndjson` answer: progress while working, then the result. */
export type ImportStreamLine = { type: 'progress'; done: number; total: number } | ({ type: 'result' } & ImportResult);
