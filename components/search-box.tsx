'use client';

import { useId } from 'react';

export function SearchBox({ value, onChange }: { value: string; onChange: (value: string) => void }) {
  const id = useId();
  return (
    <div role="search" className="flex w-full max-w-sm flex-col gap-1">
      <label htmlFor={id} className="sr-only">
        Search prompts
      </label>
      <input
        id={id}
        type="search"
        value={value}
        onChange={(e) => onChange(e.target.value)}
        placeholder="Search prompts"
        autoComplete="off"
        className="field"
      />
    </div>
  );
}
