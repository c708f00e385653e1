import { describe, expect, it } from 'vitest';
import {
  addPrompt,
  foldForSearch,
  HISTORY_CAP,
  HISTORY_PROMPT_CAP,
  HISTORY_STORAGE_KEY,
  isHistoryKey,
  readHistory,
  recordPrompt,
  searchHistory,
  walkHistory,
  type HistoryWalk,
} from '@/lib/client/prompt-history';
import { memoryStorage, throwingStorage } from '../support/memory-storage';

const stored = (value: unknown) => memoryStorage({ [HISTORY_STORAGE_KEY]: typeof value === 'string' ? value : JSON.stringify(value) });

describe('prompt history storage', () => {
  it('records newest first under its versioned key', () => {
    const storage = memoryStorage();
    recordPrompt('first', storage);
    expect(recordPrompt('second', storage)).toEqual(['second', 'first']);
    expect(JSON.parse(storage.getItem(HISTORY_STORAGE_KEY)!)).toEqual({ v: 1, prompts: ['second', 'first'] });
    expect(readHistory(storage)).toEqual(['second', 'first']);
    expect(HISTORY_STORAGE_KEY).toBe('darkroom:prompts:v1');
  });

  it('trims prompts and ignores empty ones', () => {
    const storage = memoryStorage();
    expect(recordPrompt('  a cat \n', storage)).toEqual(['a cat']);
    expect(recordPrompt('   \n\t', storage)).toEqual(['a cat']);
    expect(recordPrompt('', storage)).toEqual(['a cat']);
    expect(readHistory(storage)).toEqual(['a cat']);
  });

  it('moves an exact duplicate to the top instead of repeating it', () => {
    const storage = memoryStorage();
    for (const prompt of ['a', 'b', 'c']) recordPrompt(prompt, storage);
    expect(recordPrompt(' a ', storage)).toEqual(['a', 'c', 'b']);
    // Only exact (after trimming) duplicates: case differs, so both stay.
    expect(recordPrompt('A', storage)).toEqual(['A', 'a', 'c', 'b']);
  });

  it('keeps the newest HISTORY_CAP prompts', () => {
    const storage = memoryStorage();
    for (let i = 1; i <= HISTORY_CAP + 5; i++) recordPrompt(`prompt ${i}`, storage);
    const history = readHistory(storage);
    expect(HISTORY_CAP).toBe(100);
    expect(history).toHaveLength(HISTORY_CAP);
    expect(history[0]).toBe(`prompt ${HISTORY_CAP + 5}`);
    expect(history.at(-1)).toBe('prompt 6');
  });

  it('ignores absurdly long prompts', () => {
    expect(recordPrompt('x'.repeat(HISTORY_PROMPT_CAP + 1), memoryStorage())).toEqual([]);
  });

  it('adds without storage too, returning the same array when nothing changes', () => {
    const history = ['b', 'a'];
    expect(addPrompt(history, 'a')).toEqual(['a', 'b']);
    expect(addPrompt(history, 'b')).toBe(history);
    expect(addPrompt(history, '  ')).toBe(history);
    expect(history).toEqual(['b', 'a']);
  });

  it('reads [] for malformed JSON, wrong shapes and other versions', () => {
    const bad: unknown[] = [
      '',
      '{',
      'not json',
      'null',
      '"a"',
      '["a","b"]',
      { prompts: ['a'] },
      { v: 2, prompts: ['a'] },
      { v: '1', prompts: ['a'] },
      { v: 1, prompts: 'a' },
      { v: 1, prompts: { 0: 'a' } },
      { v: 1 },
    ];
    for (const value of bad) expect(readHistory(stored(value)), JSON.stringify(value)).toEqual([]);
    expect(readHistory(memoryStorage())).toEqual([]);
  });

  it('salvages the good entries of a damaged list', () => {
    const storage = stored({ v: 1, prompts: ['a', 3, null, ' b ', '', 'a', { p: 'c' }, 'x'.repeat(HISTORY_PROMPT_CAP + 1), 'c'] });
    expect(readHistory(storage)).toEqual(['a', 'b', 'c']);
    const long = stored({ v: 1, prompts: Array.from({ length: 150 }, (_, i) => `p${i}`) });
    expect(readHistory(long)).toHaveLength(HISTORY_CAP);
  });

  it('never throws when storage refuses reads or writes', () => {
    const blocked = throwingStorage('all');
    expect(readHistory(blocked)).toEqual([]);
    expect(recordPrompt('a', blocked)).toEqual(['a']);

    const full = throwingStorage('writes', { [HISTORY_STORAGE_KEY]: JSON.stringify({ v: 1, prompts: ['old'] }) });
    expect(recordPrompt('new', full)).toEqual(['new', 'old']);
    expect(readHistory(full)).toEqual(['old']);
  });

  it('does nothing without storage (server render, no window)', () => {
    expect(readHistory()).toEqual([]);
    expect(readHistory(null)).toEqual([]);
    expect(recordPrompt('a')).toEqual(['a']);
  });
});

describe('searching the history', () => {
  const history = [
    'Café at night, neon',
    'A lighthouse on a cliff',
    'NAÏVE painting of a café',
    'Crème brûlée macro shot',
    'lighthouse café',
  ];

  it('matches all for a blank query, in order', () => {
    expect(searchHistory(history, '')).toEqual(history);
    expect(searchHistory(history, '   ')).toEqual(history);
    expect(searchHistory(history, '')).not.toBe(history);
  });

  it('ignores case and accents on either side', () => {
    expect(searchHistory(history, 'cafe')).toEqual(['Café at night, neon', 'NAÏVE painting of a café', 'lighthouse café']);
    expect(searchHistory(history, 'CAFÉ')).toEqual(['Café at night, neon', 'NAÏVE painting of a café', 'lighthouse café']);
    expect(searchHistory(history, 'naive')).toEqual(['NAÏVE painting of a café']);
    expect(searchHistory(history, 'creme brulee')).toEqual(['Crème brûlée macro shot']);
  });

  it('needs every word, as a substring, in any order', () => {
    expect(searchHistory(history, 'café light')).toEqual(['lighthouse café']);
    expect(searchHistory(history, 'house  CLIFF')).toEqual(['A lighthouse on a cliff']);
    expect(searchHistory(history, 'lighthouse zebra')).toEqual([]);
    expect(searchHistory(history, 'cafeteria')).toEqual([]);
  });

  it('folds compatibility characters', () => {
    expect(foldForSearch('Ｃａｆé ﬁne')).toBe('cafe fine');
    expect(searchHistory(['ﬁne art'], 'fine')).toEqual(['ﬁne art']);
  });
});

describe('walking the history with Up/Down', () => {
  const history = ['newest', 'middle', 'oldest'];
  const idle: HistoryWalk = { index: null, text: '' };

  it('ArrowUp in an empty box shows the newest entry', () => {
    expect(walkHistory(idle, 'ArrowUp', history)).toEqual({ index: 0, text: 'newest', handled: true });
  });

  it('ArrowUp on the entry the walk put there goes to the next older one', () => {
    expect(walkHistory({ index: 0, text: 'newest' }, 'ArrowUp', history)).toEqual({ index: 1, text: 'middle', handled: true });
    expect(walkHistory({ index: 1, text: 'middle' }, 'ArrowUp', history)).toEqual({ index: 2, text: 'oldest', handled: true });
  });

  it('ArrowUp at the oldest entry stays there', () => {
    expect(walkHistory({ index: 2, text: 'oldest' }, 'ArrowUp', history)).toEqual({ index: 2, text: 'oldest', handled: true });
  });

  it('ArrowDown goes newer, and past the newest empties the box', () => {
    expect(walkHistory({ index: 2, text: 'oldest' }, 'ArrowDown', history)).toEqual({ index: 1, text: 'middle', handled: true });
    expect(walkHistory({ index: 1, text: 'middle' }, 'ArrowDown', history)).toEqual({ index: 0, text: 'newest', handled: true });
    expect(walkHistory({ index: 0, text: 'newest' }, 'ArrowDown', history)).toEqual({ index: null, text: '', handled: true });
  });

  it('walks all the way up and back down', () => {
    let state: HistoryWalk = idle;
    const seen: string[] = [];
    for (const key of ['ArrowUp', 'ArrowUp', 'ArrowUp', 'ArrowUp', 'ArrowDown', 'ArrowDown', 'ArrowDown']) {
      const result = walkHistory(state, key, history);
      expect(result.handled).toBe(true);
      state = { index: result.index, text: result.text };
      seen.push(result.text);
    }
    expect(seen).toEqual(['newest', 'middle', 'oldest', 'oldest', 'middle', 'newest', '']);
  });

  it('leaves Up/Down to the caret in a box with the person’s own text', () => {
    for (const key of ['ArrowUp', 'ArrowDown']) {
      expect(walkHistory({ index: null, text: 'my own words' }, key, history)).toEqual({
        index: null,
        text: 'my own words',
        handled: false,
      });
    }
  });

  it('ends the walk once the text differs from the entry (typing), even if the caller kept the index', () => {
    expect(walkHistory({ index: 1, text: 'middle, edited' }, 'ArrowUp', history)).toEqual({
      index: null,
      text: 'middle, edited',
      handled: false,
    });
    expect(walkHistory({ index: 1, text: 'middle, edited' }, 'ArrowDown', history)).toEqual({
      index: null,
      text: 'middle, edited',
      handled: false,
    });
  });

  it('typing a prompt equal to an entry does not start a walk (the caller resets the index on change)', () => {
    expect(walkHistory({ index: null, text: 'middle' }, 'ArrowUp', history).handled).toBe(false);
  });

  it('ArrowDown without a walk is not handled, even in an empty box', () => {
    expect(walkHistory(idle, 'ArrowDown', history)).toEqual({ index: null, text: '', handled: false });
  });

  it('an empty history handles nothing', () => {
    expect(walkHistory(idle, 'ArrowUp', [])).toEqual({ index: null, text: '', handled: false });
    expect(walkHistory(idle, 'ArrowDown', [])).toEqual({ index: null, text: '', handled: false });
  });

  it('other keys are never handled and change nothing', () => {
    for (const key of ['Enter', 'a', 'ArrowLeft', 'ArrowRight', 'PageUp', 'Escape']) {
      expect(walkHistory(idle, key, history)).toEqual({ ...idle, handled: false });
      expect(walkHistory({ index: 1, text: 'middle' }, key, history)).toEqual({ index: 1, text: 'middle', handled: false });
    }
  });

  it('follows the shown entry when the history changed under the walk (another tab)', () => {
    const grown = ['brand new', 'newest', 'middle', 'oldest'];
    expect(walkHistory({ index: 1, text: 'middle' }, 'ArrowUp', grown)).toEqual({ index: 3, text: 'oldest', handled: true });
    expect(walkHistory({ index: 0, text: 'newest' }, 'ArrowDown', grown)).toEqual({ index: 0, text: 'brand new', handled: true });
    // The shown entry is gone: the walk ends and the box keeps its text.
    expect(walkHistory({ index: 1, text: 'middle' }, 'ArrowUp', ['other'])).toEqual({ index: null, text: 'middle', handled: false });
    // The history shrank below the index: an empty box starts over at the newest.
    expect(walkHistory({ index: 5, text: '' }, 'ArrowUp', history)).toEqual({ index: 0, text: 'newest', handled: true });
  });

  it('only bare arrows outside composition count as history keys', () => {
    const bare = { altKey: false, ctrlKey: false, metaKey: false, shiftKey: false };
    expect(isHistoryKey({ ...bare, key: 'ArrowUp' })).toBe(true);
    expect(isHistoryKey({ ...bare, key: 'ArrowDown', nativeEvent: { isComposing: false } })).toBe(true);
    expect(isHistoryKey({ ...bare, key: 'ArrowLeft' })).toBe(false);
    for (const modifier of ['altKey', 'ctrlKey', 'metaKey', 'shiftKey']) {
      expect(isHistoryKey({ ...bare, [modifier]: true, key: 'ArrowUp' }), modifier).toBe(false);
    }
    expect(isHistoryKey({ ...bare, key: 'ArrowUp', nativeEvent: { isComposing: true } })).toBe(false);
  });
});
