'use client';

import { MODEL_LIST } from '@/lib/freepik/models';
import { COMPARE_MAX } from '@/lib/generation/schema';

type Props = {
  /** The model picked in the Model control: always compared, listed first. */
  primary: string;
  /** The models ticked, the primary first; empty when Compare is off. */
  value: string[];
  error?: string;
  errorId: string;
  onChange: (compare: string[]) => void;
};

/**
 * **Compare models**: one prompt (and one seed, where it applies) to 2–4 models at once, shown side by side
 * as one group in the gallery. Off, it is one checkbox; on, the models to compare.
 */
export function CompareModels({ primary, value, error, errorId, onChange }: Props) {
  const on = value.length > 0;
  const toggle = (id: string, checked: boolean) => {
    const next = checked ? [...value, id] : value.filter((m) => m !== id);
    onChange([primary, ...next.filter((m) => m !== primary)]);
  };
  return (
    <div className="col-span-2 flex flex-col gap-1.5">
      <label className="flex items-center gap-2 text-sm text-neutral-200">
        <input
          type="checkbox"
          className="size-4 accent-amber-400"
          checked={on}
          onChange={(e) =>
            onChange(
              e.target.checked
                ? [
                    primary,
                    ...MODEL_LIST.filter((m) => m.id !== primary)
                      .slice(0, 1)
                      .map((m) => m.id),
                  ]
                : [],
            )
          }
        />
        Compare models
        <span className="text-xs text-neutral-400 max-sm:hidden">one prompt, side by side</span>
      </label>
      {on && (
        <fieldset
          className="flex flex-wrap gap-x-4 gap-y-1 rounded-md border border-neutral-800 px-3 py-2"
          aria-describedby={error ? errorId : undefined}
        >
          <legend className="px-1 text-xs text-neutral-400">Models to compare (2 to {COMPARE_MAX})</legend>
          {MODEL_LIST.map((model) => {
            const checked = value.includes(model.id);
            return (
              <label key={model.id} className="flex items-center gap-1.5 text-sm text-neutral-200">
                <input
                  type="checkbox"
                  className="size-4 accent-amber-400"
                  checked={checked}
                  disabled={model.id === primary || (!checked && value.length >= COMPARE_MAX)}
                  onChange={(e) => toggle(model.id, e.target.checked)}
                />
                {model.name}
              </label>
            );
          })}
        </fieldset>
      )}
      {error && (
        <p id={errorId} className="text-sm text-red-300">
          {error}
        </p>
      )}
    </div>
  );
}
