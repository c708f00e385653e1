'use client';

import { Modal } from './modal';

/** Every key Darkroom answers to, in one place: the sheet renders this list and tests walk it. */
export const SHORTCUTS: Array<{ keys: string[]; what: string; where: string }> = [
  { keys: ['Ctrl', 'Enter'], what: 'Generate (⌘ Enter on a Mac)', where: 'Prompt' },
  { keys: ['↑', '↓'], what: 'Walk recent prompts (in an empty Prompt box)', where: 'Prompt' },
  { keys: ['N'], what: 'Write a new prompt (focus the Prompt box)', where: 'Anywhere' },
  { keys: ['/'], what: 'Search prompts', where: 'Anywhere' },
  { keys: ['?'], what: 'Show these shortcuts', where: 'Anywhere' },
  { keys: ['←', '→', '↑', '↓'], what: 'Move between pictures', where: 'Gallery' },
  { keys: ['Home', 'End'], what: 'First / last loaded picture', where: 'Gallery' },
  { keys: ['Page Up', 'Page Down'], what: 'Three rows up / down', where: 'Gallery' },
  { keys: ['Enter'], what: 'Open the picture', where: 'Gallery' },
  { keys: ['F'], what: 'Favorite / unfavorite', where: 'Gallery, viewer' },
  { keys: ['X'], what: 'Select (Shift+X selects a range)', where: 'Gallery' },
  { keys: ['Delete'], what: 'Move to the trash (Undo in the notice)', where: 'Gallery, viewer' },
  { keys: ['E'], what: 'Edit: put the prompt, ratio and seed in the composer', where: 'Gallery' },
  { keys: ['R'], what: 'Retry a failed picture with a new seed (or fetch an unsaved one again)', where: 'Gallery' },
  { keys: ['Esc'], what: 'Clear the selection; close the viewer', where: 'Gallery, viewer' },
  { keys: ['←', '→'], what: 'Previous / next picture', where: 'Viewer' },
];

/** The keyboard shortcuts sheet (`?`), in the shared modal: Escape closes, focus returns to where it was. */
export function ShortcutsDialog({ onClose }: { onClose: () => void }) {
  return (
    <Modal title="Keyboard shortcuts" onClose={onClose}>
      <table className="w-full text-left text-sm">
        <thead className="text-xs text-neutral-400">
          <tr>
            <th scope="col" className="pb-2 font-medium">
              Keys
            </th>
            <th scope="col" className="pb-2 font-medium">
              Does
            </th>
            <th scope="col" className="pb-2 font-medium">
              Where
            </th>
          </tr>
        </thead>
        <tbody>
          {SHORTCUTS.map((shortcut) => (
            <tr key={shortcut.what} className="border-t border-neutral-800">
              <td className="py-1.5 pr-3 whitespace-nowrap">
                {shortcut.keys.map((key, i) => (
                  <span key={i}>
                    {i > 0 && ' '}
                    <kbd className="rounded border border-neutral-600 bg-neutral-900 px-1.5 py-0.5 font-mono text-xs">{key}</kbd>
                  </span>
                ))}
              </td>
              <td className="py-1.5 pr-3">{shortcut.what}</td>
              <td className="py-1.5 text-neutral-400">{shortcut.where}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </Modal>
  );
}
