import { z } from 'zod';
import { browserStorage, readJson, writeItem } from './browser-storage';

/**
 * The prompts a person generated, newest first, in localStorage: the Prompt
 * box walks them with Up/Down (walkHistory) and the "Recent prompts" list
 * searches them (searchHistory). Storage trouble never throws: an unreadable
 * history is an empty one.
 */

export const HISTORY_STORAGE_KEY = 'darkroom:prompts:v1';
const HISTORY_VERSION = 1;
export const HISTORY_CAP = 100;
/** Longer entries are junk (the form allows far fewer characters); they are neither kept nor recorded. */
export const HISTORY_PROMPT_CAP = 20_000;
/** The stored JSON is never bigger than this with the caps above (escapes included). */
const RAW_CAP = HISTORY_CAP * (HISTORY_PROMPT_CAP * 6 + 3) + 100;

const storedHistorySchema = z.object({
  v: z.literal(HISTORY_VERSION),
  prompts: z.array(z.unknown()),
});

/** Trimmed, non-empty, deduplicated (first occurrence wins), at most HISTORY_CAP; entries that are not strings are dropped. */
function normalize(entries: readonly unknown[]): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const entry of entries) {
    if (typeof entry !== 'string') continue;
    const prompt = entry.trim();
    if (!prompt || prompt.length > HISTORY_PROMPT_CAP || seen.has(prompt)) continue;
    seen.add(prompt);
    out.push(prompt);
    if (out.length === HISTORY_CAP) break;
  }
  return out;
}

/** The stored prompts, newest first; [] when none, malformed, of another version or unreadable. Never throws. */
export function readHistory(storage: Storage | null = browserStorage()): string[] {
  const parsed = storedHistorySchema.safeParse(readJson(storage, HISTORY_STORAGE_KEY, RAW_CAP));
  return parsed.success ? normalize(parsed.data.prompts) : [];
}

/**
 * The history with `prompt` (trimmed) on top: an exact duplicate moves up
 * instead of repeating, the oldest entries fall off past HISTORY_CAP. An empty
 * (or absurdly long) prompt changes nothing and returns `history` itself.
 */
export function addPrompt(history: readonly string[], prompt: string): string[] {
  const entry = prompt.trim();
  if (!entry || entry.length > HISTORY_PROMPT_CAP) return history as string[];
  if (history[0] === entry) return history as string[];
  return normalize([entry, ...history]);
}

/**
 * Adds a prompt to the stored history (read fresh, so other tabs' entries are
 * kept) and returns the new history, also when storage refuses the write.
 */
export function recordPrompt(prompt: string, storage: Storage | null = browserStorage()): string[] {
  const current = readHistory(storage);
  const next = addPrompt(current, prompt);
  if (next !== current) writeItem(storage, HISTORY_STORAGE_KEY, JSON.stringify({ v: HISTORY_VERSION, prompts: next }));
  return next;
}

/** Lower case, accents and compatibility forms folded: "Café ﬁne" → "cafe fine". */
export function foldForSearch(text: string): string {
  return text.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase();
}

/**
 * Prompts containing every word of the query (as substrings, in any order),
 * ignoring case and accents, in history order. A blank query matches all.
 */
export function searchHistory(history: readonly string[], query: string): string[] {
  const words = foldForSearch(query).split(/\s+/).filter(Boolean);
  if (words.length === 0) return [...history];
  return history.filter((prompt) => {
    const folded = foldForSearch(prompt);
    return words.every((word) => folded.includes(word));
  });
}

/**
 * Where an Up/Down walk through the history stands: `index` is the entry the
 * walk put in the Prompt box (null: not walking), `text` what the box shows.
 */
export type HistoryWalk = { index: number | null; text: string };

/** What the box should show after the key, and whether the key was used (call preventDefault only then). */
export type HistoryWalkResult = HistoryWalk & { handled: boolean };

/**
 * Up/Down in the Prompt box, shell style. Pure: the caller keeps `index`
 * (reset to null on every change the person makes, which ends the walk) and
 * passes what the box shows now.
 *
 * - ArrowUp in an empty box shows the newest entry; while the box still shows
 *   exactly the entry the walk put there, ArrowUp shows the next older one; at
 *   the oldest it stays (handled, nothing changes).
 * - ArrowDown while walking shows the next newer entry; past the newest the box
 *   is emptied and the walk ends.
 * - Otherwise (a box with the person's own text, no walk, an empty history,
 *   any other key) the key is not handled, so the caret moves as usual.
 *
 * If the history changed under the walk (another tab), the walk continues from
 * wherever the shown entry now is, or ends if it is gone.
 */
export function walkHistory(state: HistoryWalk, key: string, history: readonly string[]): HistoryWalkResult {
  if (key !== 'ArrowUp' && key !== 'ArrowDown') return { ...state, handled: false };
  const at = walkPosition(state, history);
  if (key === 'ArrowUp') {
    if (at === null) {
      if (state.text !== '' || history.length === 0) return { index: null, text: state.text, handled: false };
      return { index: 0, text: history[0], handled: true };
    }
    const older = Math.min(at + 1, history.length - 1);
    return { index: older, text: history[older], handled: true };
  }
  if (at === null) return { index: null, text: state.text, handled: false };
  if (at === 0) return { index: null, text: '', handled: true };
  return { index: at - 1, text: history[at - 1], handled: true };
}

/** The history index the box shows as part of a walk, or null when there is no walk (any more). */
function walkPosition(state: HistoryWalk, history: readonly string[]): number | null {
  if (state.index === null || state.text === '') return null;
  if (history[state.index] === state.text) return state.index;
  const moved = history.indexOf(state.text);
  return moved >= 0 ? moved : null;
}

/**
 * True for a bare ArrowUp/ArrowDown that may walk the history: not with a
 * modifier (Shift selects, Alt/Ctrl/⌘ have platform meanings) and not while
 * an input method is composing text.
 */
export function isHistoryKey(event: {
  key: string;
  altKey: boolean;
  ctrlKey: boolean;
  metaKey: boolean;
  shiftKey: boolean;
  nativeEvent?: { isComposing?: boolean };
}): boolean {
  if (event.key !== 'ArrowUp' && event.key !== 'ArrowDown') return false;
  if (event.altKey || event.ctrlKey || event.metaKey || event.shiftKey) return false;
  return !event.nativeEvent?.isComposing;
}
