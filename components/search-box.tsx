'use client';

import { useId, type RefObject } from 'react';

export function SearchBox({
  value,
  onChange,
  inputRef,
}: {
  value: string;
  onChange: (value: string) => void;
  /** `/` focuses it from anywhere. */
  inputRef?: RefObject<HTMLInputElement | null>;
}) {
  const id = useId();
  return (
    <div role="search" className="flex w-full flex-col gap-1">
      <label htmlFor={id} className="sr-only">
        Search prompts
      </label>
      <input
        id={id}
        ref={inputRef}
        type="search"
        value={value}
        onChange={(e) => onChange(e.target.value)}
        onKeyDown={(e) => {
          // Escape in a filled box clears it (the browser's own behaviour, made reliable); in an empty box it hands focus back.
          if (e.key === 'Escape' && !value) e.currentTarget.blur();
        }}
        placeholder="Search prompts"
        aria-keyshortcuts="/"
        autoComplete="off"
        className="field py-1.5"
      />
    </div>
  );
}
