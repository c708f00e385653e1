import 'server-only';
import { gateEnabled } from '../auth/settings';
import { env } from '../config/env';
import { db } from '../db/client';

/**
 * The spending limits in force: those saved on the Settings page (one `SpendingLimit` row) while it
 * exists, else DAILY_LIMIT and MONTHLY_LIMIT from the environment. A null limit is no limit — a saved
 * empty field included, even when the environment sets one. "Use the environment's values" deletes the
 * row. Read from the database on every use, so every instance sees a change at once.
 *
 * Saved limits count only while the access gate is on (APP_PASSWORD), the only time they can be changed:
 * without it the limits are the environment's, as the Settings page says — a row saved under an earlier
 * password cannot pin limits nobody can change.
 */

export type Limits = { daily: number | null; monthly: number | null };
export type SpendingLimits = Limits & {
  /** Where the limits in force come from. */
  source: 'settings' | 'environment';
  /** The environment's values, shown beside saved ones. */
  environment: Limits;
};

const ROW_ID = 'limits';

export function environmentLimits(): Limits {
  const settings = env();
  return { daily: settings.DAILY_LIMIT ?? null, monthly: settings.MONTHLY_LIMIT ?? null };
}

export async function spendingLimits(): Promise<SpendingLimits> {
  const environment = environmentLimits();
  const saved = gateEnabled() ? await db().spendingLimit.findUnique({ where: { id: ROW_ID } }) : null;
  if (!saved) return { ...environment, source: 'environment', environment };
  return { daily: saved.dailyLimit, monthly: saved.monthlyLimit, source: 'settings', environment };
}

/** Saves limits that win over the environment's (null: no limit). */
export async function saveSpendingLimits(limits: Limits): Promise<void> {
  const data = { dailyLimit: limits.daily, monthlyLimit: limits.monthly };
  await db().spendingLimit.upsert({ where: { id: ROW_ID }, create: { id: ROW_ID, ...data }, update: data });
}

/** Back to DAILY_LIMIT and MONTHLY_LIMIT. */
export async function clearSavedSpendingLimits(): Promise<void> {
  await db().spendingLimit.deleteMany({ where: { id: ROW_ID } });
}
