import { describe, expect, it } from 'vitest';
import {
  clampVariations,
  clearDraft,
  DEFAULT_COMPOSER_DRAFT,
  DRAFT_PROMPT_CAP,
  DRAFT_STORAGE_KEY,
  isBlankDraft,
  loadDraft,
  saveDraft,
  type ComposerDraft,
} from '@/lib/client/draft-storage';
import { DEFAULT_RATIO } from '@/lib/generation/schema';
import { memoryStorage, throwingStorage } from '../support/memory-storage';

const more = { model: 'runway', settings: {}, compare: [] };
const draft: ComposerDraft = { prompt: 'A lighthouse at dusk', ratio: '1080:1920', seed: '42', variations: 3, ...more };
const stored = (value: unknown) => memoryStorage({ [DRAFT_STORAGE_KEY]: typeof value === 'string' ? value : JSON.stringify(value) });

describe('composer draft storage', () => {
  it('defaults to an empty prompt, the default ratio, a random seed and one variation', () => {
    expect(DEFAULT_COMPOSER_DRAFT).toEqual({ prompt: '', ratio: DEFAULT_RATIO, seed: '', variations: 1, ...more });
    expect(Object.isFrozen(DEFAULT_COMPOSER_DRAFT)).toBe(true);
    expect(DRAFT_STORAGE_KEY).toBe('darkroom:draft:v1');
  });

  it('round-trips a draft through storage', () => {
    const storage = memoryStorage();
    expect(saveDraft(draft, storage)).toBe(true);
    expect(JSON.parse(storage.getItem(DRAFT_STORAGE_KEY)!)).toEqual({ v: 1, ...draft });
    expect(loadDraft(storage)).toEqual(draft);
  });

  it('keeps drafts the form would reject: it shows those errors itself', () => {
    const storage = memoryStorage();
    const odd = { prompt: 'x'.repeat(5_000), ratio: '1280:768', seed: '-3', variations: 4, ...more };
    saveDraft(odd, storage);
    expect(loadDraft(storage)).toEqual(odd);
    const spaces = { ...DEFAULT_COMPOSER_DRAFT, prompt: '  two spaces kept  \n' };
    saveDraft(spaces, storage);
    expect(loadDraft(storage)).toEqual(spaces);
  });

  it('returns null when nothing is stored', () => {
    expect(loadDraft(memoryStorage())).toBeNull();
  });

  it('returns null for malformed JSON instead of throwing', () => {
    for (const raw of ['', '{', 'undefined', '{"v":1,"prompt":', 'null', '42', '"text"', '[]']) {
      expect(loadDraft(stored(raw)), raw).toBeNull();
    }
  });

  it('returns null for wrong shapes and other versions', () => {
    const good = { v: 1, ...draft };
    const bad: unknown[] = [
      { ...good, v: 2 },
      { ...good, v: '1' },
      { prompt: draft.prompt, ratio: draft.ratio, seed: draft.seed, variations: 1 },
      { ...good, prompt: 42 },
      { ...good, prompt: null },
      { ...good, ratio: 16 },
      { ...good, ratio: 'wide' },
      { ...good, ratio: '' },
      { ...good, seed: 42 },
      { ...good, seed: '1'.repeat(40) },
      { ...good, variations: 0 },
      { ...good, variations: 5 },
      { ...good, variations: 1.5 },
      { ...good, variations: '2' },
      { ...good, variations: undefined },
      { ...good, prompt: 'x'.repeat(DRAFT_PROMPT_CAP + 1) },
    ];
    for (const value of bad) expect(loadDraft(stored(value)), JSON.stringify(value).slice(0, 80)).toBeNull();
  });

  it('ignores unknown extra fields', () => {
    expect(loadDraft(stored({ v: 1, ...draft, savedAt: 123 }))).toEqual(draft);
  });

  it('clears the key for an empty prompt with default settings', () => {
    const storage = memoryStorage();
    saveDraft(draft, storage);
    expect(saveDraft({ ...DEFAULT_COMPOSER_DRAFT, prompt: '  \n ' }, storage)).toBe(true);
    expect(storage.getItem(DRAFT_STORAGE_KEY)).toBeNull();
    expect(loadDraft(storage)).toBeNull();
  });

  it('keeps an empty prompt when a setting differs from its default', () => {
    for (const patch of [{ ratio: '720:720' }, { seed: '7' }, { variations: 2 }]) {
      const storage = memoryStorage();
      const settings = { ...DEFAULT_COMPOSER_DRAFT, ...patch };
      saveDraft(settings, storage);
      expect(loadDraft(storage), JSON.stringify(patch)).toEqual(settings);
    }
  });

  it('tells a blank draft from one worth keeping', () => {
    expect(isBlankDraft(DEFAULT_COMPOSER_DRAFT)).toBe(true);
    expect(isBlankDraft({ ...DEFAULT_COMPOSER_DRAFT, seed: ' ' })).toBe(true);
    expect(isBlankDraft({ ...DEFAULT_COMPOSER_DRAFT, prompt: 'a' })).toBe(false);
    expect(isBlankDraft({ ...DEFAULT_COMPOSER_DRAFT, variations: 4 })).toBe(false);
  });

  it('keeps the model, its settings and Compare; a draft stored before models existed comes back as RunWay', () => {
    const storage = memoryStorage();
    const flux = {
      ...draft,
      model: 'flux-dev',
      ratio: 'widescreen_16_9',
      settings: { effect_color: 'vibrant' },
      compare: ['flux-dev', 'runway'],
    };
    saveDraft(flux, storage);
    expect(loadDraft(storage)).toEqual(flux);
    const old = stored({ v: 1, prompt: 'old', ratio: '1080:1920', seed: '', variations: 1 });
    expect(loadDraft(old)).toEqual({ prompt: 'old', ratio: '1080:1920', seed: '', variations: 1, ...more });
  });

  it('coerces out-of-range parts instead of losing the prompt', () => {
    const storage = memoryStorage();
    saveDraft(
      { prompt: `${'a'.repeat(DRAFT_PROMPT_CAP - 1)}😀`, ratio: 'nonsense', seed: '9'.repeat(40), variations: 9, ...more },
      storage,
    );
    expect(loadDraft(storage)).toEqual({
      prompt: 'a'.repeat(DRAFT_PROMPT_CAP - 1),
      ratio: DEFAULT_RATIO,
      seed: '',
      variations: 4,
      ...more,
    });
    expect(clampVariations(0)).toBe(1);
    expect(clampVariations(2.4)).toBe(2);
    expect(clampVariations(Number.NaN)).toBe(1);
    expect(clampVariations(Infinity)).toBe(1);
  });

  it('never throws when storage refuses reads or writes', () => {
    const blocked = throwingStorage('all');
    expect(loadDraft(blocked)).toBeNull();
    expect(saveDraft(draft, blocked)).toBe(false);
    expect(saveDraft(DEFAULT_COMPOSER_DRAFT, blocked)).toBe(false);
    expect(clearDraft(blocked)).toBe(false);

    const full = throwingStorage('writes', { [DRAFT_STORAGE_KEY]: JSON.stringify({ v: 1, ...draft }) });
    expect(saveDraft({ ...draft, prompt: 'new' }, full)).toBe(false);
    expect(loadDraft(full)).toEqual(draft);
  });

  it('does nothing without storage (server render, no window)', () => {
    expect(loadDraft()).toBeNull();
    expect(saveDraft(draft)).toBe(false);
    expect(loadDraft(null)).toBeNull();
  });

  it('clears on request', () => {
    const storage = memoryStorage();
    saveDraft(draft, storage);
    expect(clearDraft(storage)).toBe(true);
    expect(loadDraft(storage)).toBeNull();
  });
});
