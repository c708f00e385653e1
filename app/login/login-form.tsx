'use client';

import { useActionState, useId } from 'react';
import { signInAction, type SignInState } from './actions';

const initial: SignInState = { error: null };

/** Works without JavaScript too: the server action is the form's action. */
export function LoginForm({ next }: { next: string }) {
  const [state, formAction, pending] = useActionState(signInAction, initial);
  const ids = { password: useId(), error: useId() };
  return (
    <form
      action={formAction}
      aria-label="Sign in"
      className="flex flex-col gap-4 rounded-lg border border-neutral-800 bg-neutral-900/60 p-5"
    >
      <input type="hidden" name="next" value={next} />
      <div className="flex flex-col gap-1.5">
        <label htmlFor={ids.password} className="text-sm font-medium text-neutral-200">
          Password
        </label>
        <input
          id={ids.password}
          name="password"
          type="password"
          autoComplete="current-password"
          required
          autoFocus
          aria-invalid={state.error ? true : undefined}
          aria-describedby={state.error ? ids.error : undefined}
          className="field"
        />
      </div>
      {state.error && (
        <p id={ids.error} role="alert" className="text-sm text-red-300">
          {state.error}
        </p>
      )}
      <button
        type="submit"
        className="btn-primary inline-flex items-center justify-center gap-2"
        aria-busy={pending || undefined}
        disabled={pending}
      >
        {pending && <span className="spinner" aria-hidden="true" />}
        Sign in
      </button>
    </form>
  );
}
