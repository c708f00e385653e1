'use client';

import { useActionState, useId } from 'react';
import { LIMIT_LABELS, type LimitsField } from '@/lib/spending/rules';
import { spendingLimitsAction, type SpendingLimitsState } from './actions';

type Props = {
  /** The limits in force (null: none), to start from. */
  daily: number | null;
  monthly: number | null;
  /** Whether they were saved here (else they are the environment's). */
  saved: boolean;
  /** The environment's values, for the hint beside each field. */
  environment: { daily: number | null; monthly: number | null };
};

const show = (limit: number | null) => (limit === null ? 'no limit' : limit.toLocaleString('en-US'));

/** Daily limit and Monthly limit (empty: no limit), saved by a server action; works without JavaScript too. */
export function LimitsForm({ daily, monthly, saved, environment }: Props) {
  const [state, formAction, pending] = useActionState<SpendingLimitsState, FormData>(spendingLimitsAction, null);
  const base = useId();
  const fields: Array<{ name: LimitsField; value: number | null; env: number | null; variable: string }> = [
    { name: 'dailyLimit', value: daily, env: environment.daily, variable: 'DAILY_LIMIT' },
    { name: 'monthlyLimit', value: monthly, env: environment.monthly, variable: 'MONTHLY_LIMIT' },
  ];
  const fieldError = (name: LimitsField) => (state && !state.ok ? state.fieldErrors?.[name] : undefined);
  return (
    <form
      action={formAction}
      aria-label="Spending limits"
      className="flex flex-col gap-4 rounded-lg border border-neutral-800 bg-neutral-900/60 p-5"
    >
      <div className="grid gap-4 sm:grid-cols-2">
        {fields.map(({ name, value, env, variable }) => {
          const id = `${base}-${name}`;
          const error = fieldError(name);
          return (
            <div key={name} className="flex flex-col gap-1.5">
              <label htmlFor={id} className="text-sm font-medium text-neutral-200">
                {LIMIT_LABELS[name]}
              </label>
              <input
                id={id}
                name={name}
                type="text"
                inputMode="numeric"
                autoComplete="off"
                defaultValue={value ?? ''}
                placeholder="No limit"
                aria-invalid={error ? true : undefined}
                aria-describedby={`${id}-hint${error ? ` ${id}-error` : ''}`}
                className="field tabular-nums"
              />
              <p id={`${id}-hint`} className="text-xs text-neutral-400">
                Pictures; empty for no limit. Environment ({variable}): {show(env)}.
              </p>
              {error && (
                <p id={`${id}-error`} className="text-xs text-red-300">
                  {error}
                </p>
              )}
            </div>
          );
        })}
      </div>
      {state && !state.ok && (
        <p role="alert" className="rounded-md border border-red-500/40 bg-red-500/10 px-3 py-2 text-sm text-red-200">
          {state.error}
        </p>
      )}
      {state?.ok && (
        <p role="status" className="text-sm text-neutral-300">
          {state.message}
        </p>
      )}
      <div className="flex flex-wrap items-center gap-3">
        <button type="submit" name="intent" value="save" className="btn-primary" disabled={pending} aria-busy={pending || undefined}>
          Save limits
        </button>
        {saved && (
          <button type="submit" name="intent" value="environment" className="btn-secondary" disabled={pending}>
            Use the environment&apos;s values
          </button>
        )}
      </div>
    </form>
  );
}
