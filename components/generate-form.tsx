'use client';

import { useId, useRef, useState, useSyncExternalStore, useTransition, type RefObject } from 'react';
import { generateAction } from '@/app/actions';
import {
  fieldErrorsOf,
  generationInputSchema,
  hasDoubleUnits,
  promptLength,
  VARIATIONS_MAX,
  VARIATIONS_MIN,
  type FieldErrors,
  type GenerationDraft,
} from '@/lib/generation/schema';
import { isHistoryKey, walkHistory, type HistoryWalk } from '@/lib/client/prompt-history';
import { MODEL_LIST } from '@/lib/freepik/models';
import { modelsOfDraft, sizesOfDraft, specOfDraft, switchModel, withSettings } from '@/lib/generation/model-draft';
import type { TaskView } from '@/lib/tasks/view';
import { RatioPicker } from './ratio-picker';
import { BudgetMeter } from './budget-meter';
import { LoadSettings } from './load-settings';
import { RecentPrompts } from './recent-prompts';
import { ModelSettings } from './model-settings';
import { CompareModels } from './compare-models';

type Props = {
  draft: GenerationDraft;
  onDraftChange: (draft: GenerationDraft) => void;
  /** The task(s) one Generate made: one, or a batch with Variations. */
  onCreated: (tasks: TaskView[]) => void;
  promptRef: RefObject<HTMLTextAreaElement | null>;
  /** Recent prompts, newest first: Up/Down in an empty Prompt box and the Recent prompts list. */
  history: readonly string[];
};

const FIELDS = ['prompt', 'model', 'ratio', 'seed', 'variations'] as const;

/**
 * The composer: Prompt (grows with its text), a compact settings row (Model,
 * Aspect ratio, Seed, Variations, Recent prompts), the model's Advanced
 * settings, Compare models, and Generate. Pinned by <Composer>. What the
 * model offers (sizes, seed, settings, prompt limit) comes from its module.
 */
export function GenerateForm({ draft, onDraftChange, onCreated, promptRef, history }: Props) {
  const ids = {
    prompt: useId(),
    model: useId(),
    ratio: useId(),
    seed: useId(),
    variations: useId(),
    count: useId(),
    ratioLabel: useId(),
    compare: useId(),
  };
  const spec = specOfDraft(draft);
  const comparing = draft.compare.length > 0;
  // The seed applies when the model (or, comparing, any compared model) has one.
  const models = modelsOfDraft(draft);
  const seeded = models.some((m) => m.seed !== null);
  const promptMax = Math.min(...models.map((m) => m.promptMax));
  const [errors, setErrors] = useState<FieldErrors>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [pending, startTransition] = useTransition();
  const seedRef = useRef<HTMLInputElement>(null);
  // One id per submission: a double click or a retried call returns the same task(s).
  const requestId = useRef<string | null>(null);
  const walk = useRef<HistoryWalk>({ index: null, text: '' });
  // False while the server HTML waits for React: tests (and scripts) wait for data-ready before typing.
  const hydrated = useSyncExternalStore(
    subscribeNever,
    () => true,
    () => false,
  );

  const set = (patch: Partial<GenerationDraft>) => {
    requestId.current = null;
    setNotice(null);
    onDraftChange({ ...draft, ...patch });
  };

  function submit(event: React.FormEvent) {
    event.preventDefault();
    if (pending) return;
    const clientErrors: FieldErrors = {};
    // A number input holding "abc" reports an empty value; do not mistake it for "random".
    if (seedRef.current?.validity.badInput) clientErrors.seed = 'The seed must be a whole number.';
    const parsed = generationInputSchema.safeParse(sendable(draft));
    if (!parsed.success) Object.assign(clientErrors, { ...fieldErrorsOf(parsed.error), ...clientErrors });
    if (Object.keys(clientErrors).length) {
      setErrors(clientErrors);
      setFormError(null);
      const first = FIELDS.find((f) => clientErrors[f]);
      if (first) document.getElementById(ids[first])?.focus();
      return;
    }
    requestId.current ??= crypto.randomUUID();
    const rid = requestId.current;
    startTransition(async () => {
      try {
        const result = await generateAction(sendable(draft), rid);
        if (result.ok) {
          setErrors({});
          setFormError(null);
          requestId.current = null;
          onCreated(result.tasks);
        } else {
          setErrors(result.fieldErrors ?? {});
          setFormError(result.fieldErrors ? null : result.error);
        }
      } catch {
        setFormError('Could not reach Darkroom. Check your connection and press Generate again.');
      }
    });
  }

  const describedBy = (field: (typeof FIELDS)[number], extra?: string) =>
    [errors[field] ? `${ids[field]}-error` : null, extra].filter(Boolean).join(' ') || undefined;
  const settingErrors = (['model', 'ratio', 'seed', 'variations'] as const).filter((f) => errors[f]);

  return (
    <form
      onSubmit={submit}
      noValidate
      data-ready={hydrated || undefined}
      aria-label="Generate a picture"
      className="grid grid-cols-[1fr_auto] gap-x-2 gap-y-2 sm:gap-x-3"
    >
      <div className="col-start-1 row-start-1 flex flex-col gap-1 sm:col-span-2">
        <div className="flex items-baseline justify-between gap-2">
          <label htmlFor={ids.prompt} className="text-xs font-medium text-neutral-300">
            Prompt
          </label>
          <BudgetMeter className="ml-auto text-xs" />
          <span
            id={ids.count}
            className={`text-xs tabular-nums ${promptLength(draft.prompt) > promptMax ? 'font-semibold text-red-400' : 'text-neutral-400'}`}
            aria-live="polite"
            title={spec.promptMaxDocumented ? undefined : `${spec.name} documents no prompt limit; ${spec.promptMax} is Darkroom's cap.`}
          >
            {promptLength(draft.prompt)} / {promptMax}
            {hasDoubleUnits(draft.prompt) && ' · emoji count as 2'}
          </span>
        </div>
        <textarea
          id={ids.prompt}
          ref={promptRef}
          name="prompt"
          rows={1}
          value={draft.prompt}
          onChange={(e) => {
            walk.current = { index: null, text: e.target.value };
            set({ prompt: e.target.value });
          }}
          onKeyDown={(e) => {
            // Ctrl/⌘+Enter generates without leaving the keyboard.
            if (e.key === 'Enter' && (e.metaKey || e.ctrlKey)) {
              submit(e);
              return;
            }
            // Up/Down in an empty box (or one the walk filled) walks recent prompts, shell style.
            if (!isHistoryKey(e)) return;
            const next = walkHistory({ index: walk.current.index, text: draft.prompt }, e.key, history);
            if (!next.handled) return;
            e.preventDefault();
            walk.current = { index: next.index, text: next.text };
            set({ prompt: next.text });
          }}
          aria-invalid={errors.prompt ? true : undefined}
          aria-describedby={describedBy('prompt', ids.count)}
          aria-keyshortcuts="Control+Enter"
          placeholder="A lighthouse on a cliff at dusk, volumetric fog, 35mm photo"
          // Grows with its text (field-sizing), within a cap so the gallery keeps most of the screen.
          className="field max-h-[5.5rem] min-h-11 resize-none [field-sizing:content] sm:max-h-[40dvh] sm:min-h-16"
        />
        <FieldError id={`${ids.prompt}-error`} message={errors.prompt} />
      </div>

      <div className="col-span-2 row-start-2 flex flex-wrap items-end gap-2 sm:col-span-1 sm:gap-3">
        <div className="flex w-32 flex-col gap-1 sm:w-36">
          <label htmlFor={ids.model} className="text-xs font-medium text-neutral-300">
            Model
          </label>
          <select
            id={ids.model}
            name="model"
            value={spec.id}
            onChange={(e) => {
              requestId.current = null;
              setNotice(null);
              setErrors({});
              onDraftChange(switchModel(draft, e.target.value));
            }}
            aria-invalid={errors.model ? true : undefined}
            aria-describedby={describedBy('model', `${ids.model}-hint`)}
            className="field h-9 py-0 text-sm"
          >
            {MODEL_LIST.map((model) => (
              <option key={model.id} value={model.id}>
                {model.name}
              </option>
            ))}
          </select>
          <span id={`${ids.model}-hint`} className="sr-only">
            {spec.summary}
          </span>
        </div>
        <div className="flex min-w-32 flex-1 flex-col gap-1 sm:flex-none">
          <span id={ids.ratioLabel} className="text-xs font-medium text-neutral-300">
            Aspect ratio
          </span>
          {spec.id === 'runway' ? (
            <RatioPicker
              id={ids.ratio}
              labelId={ids.ratioLabel}
              value={draft.ratio}
              onChange={(ratio) => set({ ratio })}
              invalid={!!errors.ratio}
              describedBy={describedBy('ratio')}
            />
          ) : (
            // Named aspect ratios (a handful, no pixel sizes to compare): a plain select does.
            <select
              id={ids.ratio}
              name="ratio"
              aria-labelledby={ids.ratioLabel}
              value={draft.ratio}
              onChange={(e) => set({ ratio: e.target.value })}
              aria-invalid={errors.ratio ? true : undefined}
              aria-describedby={describedBy('ratio')}
              className="field h-9 w-40 py-0 text-sm"
            >
              {sizesOfDraft(draft).map((size) => (
                <option key={size.id} value={size.id}>
                  {size.label} {size.width === size.height ? 'square' : size.width > size.height ? 'landscape' : 'portrait'}
                </option>
              ))}
            </select>
          )}
        </div>
        <div className={`w-28 flex-col gap-1 sm:w-36 ${seeded ? 'flex' : 'hidden'}`}>
          <label htmlFor={ids.seed} className="text-xs font-medium text-neutral-300">
            Seed
          </label>
          <input
            id={ids.seed}
            ref={seedRef}
            name="seed"
            type="number"
            inputMode="numeric"
            min={spec.seed?.min ?? 0}
            max={spec.seed?.max}
            step={1}
            value={draft.seed}
            onChange={(e) => set({ seed: e.target.value })}
            placeholder="Random"
            title="Empty means random"
            aria-invalid={errors.seed ? true : undefined}
            aria-describedby={describedBy('seed', `${ids.seed}-hint`)}
            className="field h-9 py-0 text-sm tabular-nums"
          />
          <span id={`${ids.seed}-hint`} className="sr-only">
            Empty means random
          </span>
        </div>
        {!seeded && (
          <p className="flex h-9 max-w-40 items-center text-xs text-neutral-400" data-testid="no-seed">
            {spec.name} has no seed{spec.id === 'mystic' ? ': see Fixed generation in Advanced' : ''}
          </p>
        )}
        <div className={`w-20 flex-col gap-1 ${comparing ? 'hidden' : 'flex'}`}>
          <label htmlFor={ids.variations} className="text-xs font-medium text-neutral-300">
            Variations
          </label>
          <select
            id={ids.variations}
            name="variations"
            value={draft.variations}
            onChange={(e) => set({ variations: e.target.value })}
            aria-invalid={errors.variations ? true : undefined}
            aria-describedby={describedBy('variations', `${ids.variations}-hint`)}
            className="field h-9 py-0 text-sm"
          >
            {Array.from({ length: VARIATIONS_MAX - VARIATIONS_MIN + 1 }, (_, i) => String(VARIATIONS_MIN + i)).map((n) => (
              <option key={n} value={n}>
                {n}
              </option>
            ))}
          </select>
          <span id={`${ids.variations}-hint`} className="sr-only">
            Pictures per Generate, each with its own seed (a seed you give is the first of them)
          </span>
        </div>
        <LoadSettings
          className="btn-ghost inline-flex h-9 items-center gap-1.5 text-sm"
          onLoad={(loaded) => {
            // Fills the composer only: nothing is sent until the person presses Generate.
            walk.current = { index: null, text: loaded.prompt };
            setErrors({});
            setFormError(null);
            // A recipe without a model is RunWay's (recipes from before there were models, and A1111 ones).
            const model = loaded.model ?? 'runway';
            const base = model === draft.model ? draft : switchModel(draft, model);
            set({
              ...base,
              prompt: loaded.prompt,
              ratio: loaded.ratio ?? base.ratio,
              seed: loaded.seed ?? '',
              settings: loaded.settings ?? {},
              compare: [],
            });
            setNotice('Settings loaded from the image. Press Generate to make it.');
            promptRef.current?.focus({ preventScroll: true });
          }}
          onError={(message) => {
            setNotice(null);
            setFormError(message);
          }}
        />
        <RecentPrompts
          history={history}
          onPick={(prompt) => {
            walk.current = { index: null, text: prompt };
            set({ prompt });
            promptRef.current?.focus();
          }}
        />
      </div>

      <button
        type="submit"
        aria-busy={pending || undefined}
        disabled={pending}
        className="btn-primary col-start-2 row-start-1 disabled:opacity-100 inline-flex h-11 items-center justify-center gap-2 self-end px-4 sm:row-start-2 sm:h-9 sm:px-6"
      >
        {pending && <span aria-hidden className="spinner" />}
        Generate
      </button>

      <ModelSettings spec={spec} values={draft.settings} errors={errors} onChange={(settings) => set(withSettings(draft, settings))} />
      <CompareModels
        primary={spec.id}
        value={draft.compare}
        error={errors.compare}
        errorId={`${ids.compare}-error`}
        onChange={(compare) => set({ compare, ...(compare.length ? { variations: '1' } : {}) })}
      />

      {settingErrors.length > 0 && (
        <div className="col-span-2 flex flex-col gap-0.5">
          {settingErrors.map((field) => (
            <FieldError key={field} id={`${ids[field]}-error`} message={errors[field]} />
          ))}
        </div>
      )}
      <p role="status" className="col-span-2 text-xs text-emerald-300 empty:hidden">
        {notice}
      </p>
      {formError && (
        <p role="alert" className="col-span-2 rounded-md border border-red-500/40 bg-red-500/10 px-3 py-2 text-sm text-red-200">
          {formError}
        </p>
      )}
    </form>
  );
}

const subscribeNever = () => () => undefined;

/** What is sent: a seed only where it applies, settings that are set, the compared models only while comparing. */
function sendable(draft: GenerationDraft) {
  const spec = specOfDraft(draft);
  const seeded = modelsOfDraft(draft).some((m) => m.seed !== null);
  const settings = Object.fromEntries(Object.entries(draft.settings).filter(([, v]) => v !== ''));
  return { ...draft, model: spec.id, seed: seeded ? draft.seed : '', settings };
}

function FieldError({ id, message }: { id: string; message?: string }) {
  if (!message) return null;
  return (
    <p id={id} className="text-sm text-red-300">
      {message}
    </p>
  );
}
