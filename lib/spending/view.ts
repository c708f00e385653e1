import { z } from 'zod';

/**
 * What GET /api/spending answers and the browser parses (lib/client/spending-query.ts) — the one schema
 * for both. Pictures sent upstream (tasks by `submittedAt`, lib/spending/budget.ts) today and this month,
 * UTC, with each limit (null: none) and when it resets; and the last 30 UTC days, oldest first, days
 * without any included (count 0), today last.
 */
const periodSchema = z.object({
  used: z.number().int().min(0),
  limit: z.number().int().min(1).nullable(),
  resetsAt: z.iso.datetime(),
});

export const DAY_PATTERN = /^\d{4}-\d{2}-\d{2}$/;

export const spendingViewSchema = z.object({
  day: periodSchema,
  month: periodSchema,
  last30: z.array(z.object({ day: z.string().regex(DAY_PATTERN), count: z.number().int().min(0) })).length(30),
});

export type SpendingView = z.infer<typeof spendingViewSchema>;
