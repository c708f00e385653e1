'use client';

import { useEffect, useId, useRef, useState } from 'react';
import type { ModelSpec, SettingField } from '@/lib/freepik/models/types';
import type { FieldErrors } from '@/lib/generation/schema';

type Props = {
  spec: ModelSpec;
  values: Record<string, string>;
  errors: FieldErrors;
  onChange: (values: Record<string, string>) => void;
};

/**
 * The chosen model's own settings in a collapsible **Advanced** section, rendered from the model module's
 * settingsFields (lib/freepik/models): nothing here knows a model. Every control starts empty — "Default",
 * the provider's own default — and only what a person sets is sent.
 */
export function ModelSettings({ spec, values, errors, onChange }: Props) {
  const setCount = Object.values(values).filter((v) => v !== '').length;
  // Open or closed as the person left it (across model switches too); it opens by itself when settings
  // arrive from elsewhere (Edit, a loaded recipe), so none is set out of sight.
  const [open, setOpen] = useState(setCount > 0);
  const lastCount = useRef(setCount);
  useEffect(() => {
    if (setCount > 0 && lastCount.current === 0) setOpen(true);
    lastCount.current = setCount;
  }, [setCount]);
  if (spec.settingsFields.length === 0) return null;
  return (
    <details
      className="col-span-2 rounded-md border border-neutral-800 px-3 py-1.5 text-sm"
      open={open}
      onToggle={(e) => setOpen(e.currentTarget.open)}
    >
      <summary className="cursor-pointer text-xs font-medium text-neutral-300">
        Advanced
        <span className="ml-2 font-normal text-neutral-400">
          {spec.name} settings{setCount ? ` · ${setCount} set` : ''}
        </span>
      </summary>
      <div className="grid grid-cols-[repeat(auto-fill,minmax(11rem,1fr))] gap-3 py-2">
        {spec.settingsFields.map((field) => (
          <SettingControl
            key={`${spec.id}.${field.name}`}
            field={field}
            value={values[field.name] ?? ''}
            error={errors[`settings.${field.name}`]}
            onChange={(value) => onChange({ ...values, [field.name]: value })}
          />
        ))}
      </div>
    </details>
  );
}

function SettingControl({
  field,
  value,
  error,
  onChange,
}: {
  field: SettingField;
  value: string;
  error?: string;
  onChange: (v: string) => void;
}) {
  const id = useId();
  const describedBy = [error ? `${id}-error` : null, field.help ? `${id}-help` : null].filter(Boolean).join(' ') || undefined;
  const common = { id, 'aria-invalid': error ? true : undefined, 'aria-describedby': describedBy } as const;
  let control: React.ReactNode;
  if (field.kind === 'checkbox') {
    control = (
      <label className="flex items-center gap-2 text-sm text-neutral-200">
        <input
          {...common}
          type="checkbox"
          className="size-4 accent-amber-400"
          checked={value === 'on'}
          onChange={(e) => onChange(e.target.checked ? 'on' : '')}
        />
        {field.label}
      </label>
    );
  } else {
    const input =
      field.kind === 'select' ? (
        <select {...common} className="field h-9 py-0 text-sm" value={value} onChange={(e) => onChange(e.target.value)}>
          <option value="">Default</option>
          {field.options.map((o) => (
            <option key={o.value} value={o.value}>
              {o.label}
            </option>
          ))}
        </select>
      ) : field.kind === 'number' ? (
        <input
          {...common}
          type="number"
          inputMode="decimal"
          min={field.min}
          max={field.max}
          step={field.step}
          placeholder="Default"
          className="field h-9 py-0 text-sm tabular-nums"
          value={value}
          onChange={(e) => onChange(e.target.value)}
        />
      ) : (
        <input
          {...common}
          type="text"
          placeholder="#FF8800 0.5, #0044CC"
          className="field h-9 py-0 text-sm"
          value={value}
          onChange={(e) => onChange(e.target.value)}
        />
      );
    control = (
      <>
        <label htmlFor={id} className="text-xs font-medium text-neutral-300">
          {field.label}
          {field.kind === 'number' && (
            <span className="font-normal text-neutral-400">
              {' '}
              ({field.min}–{field.max})
            </span>
          )}
        </label>
        {input}
      </>
    );
  }
  return (
    <div className="flex flex-col gap-1">
      {control}
      {field.help && (
        <p id={`${id}-help`} className="text-xs text-neutral-400">
          {field.help}
        </p>
      )}
      {error && (
        <p id={`${id}-error`} className="text-xs text-red-300">
          {error}
        </p>
      )}
    </div>
  );
}
