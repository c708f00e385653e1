import { z } from 'zod';
import { pictureLimitSchema } from '../config/env-schema';
import { fail, ok, type Result } from '../result';
import { LIMIT_LABELS, type LimitsField } from './rules';

/**
 * The Settings page's limits form, validated on the server (app/settings/actions.ts) with the rules of
 * DAILY_LIMIT and MONTHLY_LIMIT (lib/config/env-schema.ts): a whole number of pictures from 1 to
 * 1,000,000, or empty for no limit. Pure, so it is unit-tested.
 */

const limitField = (label: string) =>
  z.preprocess(
    (value) => (value === null || value === undefined || (typeof value === 'string' && value.trim() === '') ? null : value),
    z
      .string({ error: `${label} must be a whole number of pictures, or empty for no limit.` })
      .pipe(pictureLimitSchema)
      .nullable(),
  );

const limitsFormSchema = z.object({
  dailyLimit: limitField(LIMIT_LABELS.dailyLimit),
  monthlyLimit: limitField(LIMIT_LABELS.monthlyLimit),
});

/** The limits a submitted form asks for (null: no limit), or the message per field. */
export function parseLimitsForm(form: {
  get(name: string): unknown;
}): Result<{ daily: number | null; monthly: number | null }, LimitsField> {
  const parsed = limitsFormSchema.safeParse({ dailyLimit: form.get('dailyLimit'), monthlyLimit: form.get('monthlyLimit') });
  if (parsed.success) return ok({ daily: parsed.data.dailyLimit, monthly: parsed.data.monthlyLimit });
  const fieldErrors: Partial<Record<LimitsField, string>> = {};
  for (const issue of parsed.error.issues) {
    const field = issue.path[0] as LimitsField;
    if (fieldErrors[field]) continue;
    // The shared rules say "must be …"; here they follow the field's label.
    fieldErrors[field] = /^[A-Z]/.test(issue.message) ? issue.message : `${LIMIT_LABELS[field]} ${issue.message}.`;
  }
  return fail('Please fix the highlighted fields.', fieldErrors);
}
