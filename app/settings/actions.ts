'use server';

import { revalidatePath } from 'next/cache';
import { gateEnabled } from '@/lib/auth/settings';
import { fail, ok, type Result } from '@/lib/result';
import { parseLimitsForm } from '@/lib/spending/limits-form';
import { clearSavedSpendingLimits, saveSpendingLimits } from '@/lib/spending/limits';
import type { LimitsField } from '@/lib/spending/rules';
import { follower } from '@/lib/tasks/follower-instance';
import { releaseBudgetHolds } from '@/lib/tasks/state-machine';

/** What the limits form shows after a submit: a confirmation, or what is wrong (per field too). */
export type SpendingLimitsResult = Result<{ message: string }, LimitsField>;
/** useActionState's state: null before the first submit. */
export type SpendingLimitsState = SpendingLimitsResult | null;

/**
 * Saves the Daily limit and Monthly limit (empty: no limit), which then win over DAILY_LIMIT and
 * MONTHLY_LIMIT — or, with `intent=environment` ("Use the environment's values"), forgets them. Only
 * while the access gate is on: without a password anyone who reaches the port could lift the limits,
 * so they are the environment's alone (proxy.ts already requires a session and Darkroom's own origin
 * for this POST). Tasks held back by the budget are looked at again at once, under the new limits.
 */
export async function spendingLimitsAction(_previous: SpendingLimitsState, form: FormData): Promise<SpendingLimitsResult> {
  if (!gateEnabled()) {
    return fail('Limits can be changed here only when Darkroom has a password (APP_PASSWORD). Set DAILY_LIMIT and MONTHLY_LIMIT instead.');
  }
  let message: string;
  if (form.get('intent') === 'environment') {
    await clearSavedSpendingLimits();
    message = 'The limits now come from the environment (DAILY_LIMIT, MONTHLY_LIMIT).';
  } else {
    const parsed = parseLimitsForm(form);
    if (!parsed.ok) return parsed;
    await saveSpendingLimits({ daily: parsed.daily, monthly: parsed.monthly });
    message = 'Limits saved.';
  }
  await releaseBudgetHolds();
  follower().kick();
  revalidatePath('/settings');
  return ok({ message });
}
