import { z } from 'zod';
import { MONTH_PATTERN } from './filters';

/**
 * What GET /api/tasks/summary answers and the browser parses (lib/client/summary-query.ts) — the one
 * schema for both: how many tasks a filter lists in all, and per month (UTC, `YYYY-MM`), newest
 * month first, months without any left out. The counts are exactly what the gallery lists for the
 * same filter (Trash or not, ratio, status, favorites, search); `from` and the sort do not change them.
 */
export const gallerySummarySchema = z.object({
  total: z.number().int().min(0),
  months: z.array(z.object({ month: z.string().regex(MONTH_PATTERN), count: z.number().int().min(1) })),
});
export type GallerySummary = z.infer<typeof gallerySummarySchema>;
