'use client';

import { useId, useRef, useState, useTransition, type RefObject } from 'react';
import { generateAction } from '@/app/actions';
import {
  fieldErrorsOf,
  generationInputSchema,
  PROMPT_MAX,
  promptLength,
  hasDoubleUnits,
  RATIOS,
  type FieldErrors,
  type GenerationDraft,
  type Ratio,
} from '@/lib/generation/schema';
import { ratioLabel } from '@/lib/generation/ratio-names';
import type { TaskView } from '@/lib/tasks/view';

type Props = {
  draft: GenerationDraft;
  onDraftChange: (draft: GenerationDraft) => void;
  onCreated: (task: TaskView) => void;
  promptRef: RefObject<HTMLTextAreaElement | null>;
};

export function GenerateForm({ draft, onDraftChange, onCreated, promptRef }: Props) {
  const ids = { prompt: useId(), ratio: useId(), seed: useId(), count: useId(), form: useId() };
  const [errors, setErrors] = useState<FieldErrors>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [pending, startTransition] = useTransition();
  const seedRef = useRef<HTMLInputElement>(null);
  // One id per submission: a double click or a retried call returns the same task.
  const requestId = useRef<string | null>(null);

  const set = (patch: Partial<GenerationDraft>) => {
    requestId.current = null;
    onDraftChange({ ...draft, ...patch });
  };

  function submit(event: React.FormEvent) {
    event.preventDefault();
    if (pending) return;
    const clientErrors: FieldErrors = {};
    // A number input holding "abc" reports an empty value; do not mistake it for "random".
    if (seedRef.current?.validity.badInput) clientErrors.seed = 'The seed must be a whole number.';
    const parsed = generationInputSchema.safeParse(draft);
    if (!parsed.success) Object.assign(clientErrors, { ...fieldErrorsOf(parsed.error), ...clientErrors });
    if (Object.keys(clientErrors).length) {
      setErrors(clientErrors);
      setFormError(null);
      const first = (['prompt', 'ratio', 'seed'] as const).find((f) => clientErrors[f]);
      if (first) document.getElementById(ids[first])?.focus();
      return;
    }
    requestId.current ??= crypto.randomUUID();
    const rid = requestId.current;
    startTransition(async () => {
      try {
        const result = await generateAction(draft, rid);
        if (result.ok) {
          setErrors({});
          setFormError(null);
          requestId.current = null;
          onCreated(result.task);
        } else {
          setErrors(result.fieldErrors ?? {});
          setFormError(result.fieldErrors ? null : result.error);
        }
      } catch {
        setFormError('Could not reach Darkroom. Check your connection and press Generate again.');
      }
    });
  }

  const describedBy = (field: keyof FieldErrors, extra?: string) =>
    [errors[field] ? `${ids[field]}-error` : null, extra].filter(Boolean).join(' ') || undefined;

  return (
    <form id={ids.form} onSubmit={submit} noValidate className="flex flex-col gap-4" aria-label="Generate a picture">
      <div className="flex flex-col gap-1.5">
        <div className="flex items-baseline justify-between">
          <label htmlFor={ids.prompt} className="text-sm font-medium text-neutral-200">
            Prompt
          </label>
          <span
            id={ids.count}
            className={`text-xs tabular-nums ${promptLength(draft.prompt) > PROMPT_MAX ? 'font-semibold text-red-400' : 'text-neutral-400'}`}
            aria-live="polite"
          >
            {promptLength(draft.prompt)} / {PROMPT_MAX}
            {hasDoubleUnits(draft.prompt) && ' · emoji count as 2'}
          </span>
        </div>
        <textarea
          id={ids.prompt}
          ref={promptRef}
          name="prompt"
          rows={4}
          value={draft.prompt}
          onChange={(e) => set({ prompt: e.target.value })}
          onKeyDown={(e) => {
            // Ctrl/⌘+Enter generates without leaving the keyboard.
            if (e.key === 'Enter' && (e.metaKey || e.ctrlKey)) submit(e);
          }}
          aria-invalid={errors.prompt ? true : undefined}
          aria-describedby={describedBy('prompt', ids.count)}
          placeholder="A lighthouse on a cliff at dusk, volumetric fog, 35mm photo"
          className="field min-h-28 resize-y"
        />
        <FieldError id={`${ids.prompt}-error`} message={errors.prompt} />
      </div>

      <div className="grid grid-cols-1 gap-4 sm:grid-cols-[1fr_12rem]">
        <div className="flex flex-col gap-1.5">
          <label htmlFor={ids.ratio} className="text-sm font-medium text-neutral-200">
            Aspect ratio
          </label>
          <select
            id={ids.ratio}
            name="ratio"
            value={draft.ratio}
            onChange={(e) => set({ ratio: e.target.value })}
            aria-invalid={errors.ratio ? true : undefined}
            aria-describedby={describedBy('ratio')}
            className="field"
          >
            {!(RATIOS as readonly string[]).includes(draft.ratio) && <option value={draft.ratio}>{draft.ratio} (not supported)</option>}
            {RATIOS.map((ratio: Ratio) => (
              <option key={ratio} value={ratio}>
                {ratioLabel(ratio)}
              </option>
            ))}
          </select>
          <FieldError id={`${ids.ratio}-error`} message={errors.ratio} />
        </div>
        <div className="flex flex-col gap-1.5">
          <label htmlFor={ids.seed} className="text-sm font-medium text-neutral-200">
            Seed
          </label>
          <input
            id={ids.seed}
            ref={seedRef}
            name="seed"
            type="number"
            inputMode="numeric"
            min={0}
            step={1}
            value={draft.seed}
            onChange={(e) => set({ seed: e.target.value })}
            placeholder="Random"
            aria-invalid={errors.seed ? true : undefined}
            aria-describedby={describedBy('seed', `${ids.seed}-hint`)}
            className="field tabular-nums"
          />
          <span id={`${ids.seed}-hint`} className="text-xs text-neutral-400">
            Empty means random
          </span>
          <FieldError id={`${ids.seed}-error`} message={errors.seed} />
        </div>
      </div>

      {formError && (
        <p role="alert" className="rounded-md border border-red-500/40 bg-red-500/10 px-3 py-2 text-sm text-red-200">
          {formError}
        </p>
      )}

      <button
        type="submit"
        aria-busy={pending || undefined}
        disabled={pending}
        className="btn-primary inline-flex items-center justify-center gap-2 self-start px-6"
      >
        {pending && <span aria-hidden className="spinner" />}
        Generate
      </button>
    </form>
  );
}

function FieldError({ id, message }: { id: string; message?: string }) {
  if (!message) return null;
  return (
    <p id={id} className="text-sm text-red-300">
      {message}
    </p>
  );
}
