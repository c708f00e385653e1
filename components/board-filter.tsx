'use client';

import { useBoards } from '@/lib/client/boards-query';

type Props = {
  /** The board in the URL filter (`board`), or undefined for every picture. */
  value: string | undefined;
  onChange: (boardId: string | undefined) => void;
};

/**
 * The gallery's **Board** filter: "All pictures" or one board (with how many pictures it lists). A board
 * in the URL that is not in the list (deleted, or not loaded yet) still shows as chosen, so the control
 * never silently claims "All pictures" while the gallery shows a board.
 */
export function BoardFilter({ value, onChange }: Props) {
  const { data, isPending } = useBoards();
  const boards = data?.boards ?? [];
  const known = !value || boards.some((board) => board.id === value);
  return (
    <label className="flex flex-col gap-1 text-xs text-neutral-400">
      Board
      <select className="field py-1.5 text-sm" value={value ?? ''} onChange={(event) => onChange(event.target.value || undefined)}>
        <option value="">All pictures</option>
        {boards.map((board) => (
          <option key={board.id} value={board.id}>
            {board.name} ({board.count.toLocaleString('en')})
          </option>
        ))}
        {!known && <option value={value}>{isPending ? 'Loading board…' : 'A deleted board'}</option>}
      </select>
    </label>
  );
}
