import { z } from 'zod';
import { DEFAULT_MODEL } from '@/lib/freepik/models';
import { DEFAULT_RATIO, DEFAULT_VARIATIONS, VARIATIONS_MAX, VARIATIONS_MIN } from '@/lib/generation/schema';
import { browserStorage, readJson, removeItem, writeItem } from './browser-storage';

/**
 * The composer's draft in localStorage, so a reload (or a crashed tab) keeps
 * what the person was writing. Only a sanity check happens here: the form
 * validates the prompt, ratio and seed itself and shows its own errors, so a
 * stored draft that is merely invalid for generation (too long, odd seed)
 * still comes back as typed.
 */

export const DRAFT_STORAGE_KEY = 'darkroom:draft:v1';
const DRAFT_VERSION = 1;
/** Far above PROMPT_MAX: only guards against junk, never against a real draft. */
export const DRAFT_PROMPT_CAP = 20_000;
const SEED_CAP = 32;
/** The stored JSON is never bigger than this with the caps above (escapes included). */
const RAW_CAP = DRAFT_PROMPT_CAP * 6 + 1_000;

export type ComposerDraft = {
  prompt: string;
  ratio: string;
  seed: string;
  variations: number;
  /** The model (issue #13), its Advanced settings as text, and the models ticked for Compare. */
  model: string;
  settings: Record<string, string>;
  compare: string[];
};

/** A size option: RunWay's `width:height`, or a named aspect ratio such as `widescreen_16_9`. */
const SIZE_PATTERN = /^(\d{1,5}:\d{1,5}|[a-z]{1,20}(_[a-z0-9]{1,10}){1,4})$/;

export const DEFAULT_COMPOSER_DRAFT: Readonly<ComposerDraft> = Object.freeze({
  prompt: '',
  ratio: DEFAULT_RATIO,
  seed: '',
  variations: DEFAULT_VARIATIONS,
  model: DEFAULT_MODEL,
  settings: {},
  compare: [],
});

const storedDraftSchema = z.object({
  v: z.literal(DRAFT_VERSION),
  prompt: z.string().max(DRAFT_PROMPT_CAP),
  // Any size option (the form falls back to the model's default for one it does not offer).
  ratio: z.string().regex(SIZE_PATTERN),
  seed: z.string().max(SEED_CAP),
  variations: z.number().int().min(VARIATIONS_MIN).max(VARIATIONS_MAX),
  // Drafts stored before issue #13 have none of these: RunWay, no settings, Compare off.
  model: z.string().max(40).default(DEFAULT_MODEL),
  settings: z.record(z.string().max(40), z.string().max(200)).default({}),
  compare: z.array(z.string().max(40)).max(4).default([]),
});

/** True when there is nothing worth keeping: no prompt and every setting at its default. */
export function isBlankDraft(draft: ComposerDraft): boolean {
  return (
    draft.prompt.trim() === '' &&
    draft.ratio === DEFAULT_COMPOSER_DRAFT.ratio &&
    draft.seed.trim() === '' &&
    draft.variations === DEFAULT_COMPOSER_DRAFT.variations &&
    draft.model === DEFAULT_COMPOSER_DRAFT.model &&
    Object.values(draft.settings).every((v) => v === '') &&
    draft.compare.length === 0
  );
}

/** The stored draft, or null when there is none or it is malformed, of another version or unreadable. Never throws. */
export function loadDraft(storage: Storage | null = browserStorage()): ComposerDraft | null {
  const parsed = storedDraftSchema.safeParse(readJson(storage, DRAFT_STORAGE_KEY, RAW_CAP));
  if (!parsed.success) return null;
  const { prompt, ratio, seed, variations, model, settings, compare } = parsed.data;
  return { prompt, ratio, seed, variations, model, settings, compare };
}

/**
 * Stores the draft; a blank one (see isBlankDraft) removes the key instead.
 * Out-of-range parts are coerced rather than dropping the prompt: an overlong
 * prompt is cut at DRAFT_PROMPT_CAP, variations are clamped to 1–4, a ratio
 * that is not `width:height` becomes the default. Returns whether storage now
 * holds the draft (false when storage is unavailable or refuses the write);
 * never throws.
 */
export function saveDraft(draft: ComposerDraft, storage: Storage | null = browserStorage()): boolean {
  if (!storage) return false;
  if (isBlankDraft(draft)) return removeItem(storage, DRAFT_STORAGE_KEY);
  const parsed = storedDraftSchema.safeParse({
    v: DRAFT_VERSION,
    prompt: cut(String(draft.prompt), DRAFT_PROMPT_CAP),
    ratio: SIZE_PATTERN.test(draft.ratio) ? draft.ratio : DEFAULT_COMPOSER_DRAFT.ratio,
    seed: String(draft.seed).length <= SEED_CAP ? String(draft.seed) : '',
    variations: clampVariations(draft.variations),
    model: draft.model,
    settings: draft.settings,
    compare: draft.compare,
  });
  if (!parsed.success) return false;
  return writeItem(storage, DRAFT_STORAGE_KEY, JSON.stringify(parsed.data));
}

/** Forgets the stored draft. */
export function clearDraft(storage: Storage | null = browserStorage()): boolean {
  return removeItem(storage, DRAFT_STORAGE_KEY);
}

/** A whole number of variations within 1–4 (anything unusable becomes 1). */
export function clampVariations(value: number): number {
  if (!Number.isFinite(value)) return DEFAULT_COMPOSER_DRAFT.variations;
  return Math.min(VARIATIONS_MAX, Math.max(VARIATIONS_MIN, Math.round(value)));
}

/** The first `max` UTF-16 units, without splitting a surrogate pair. */
function cut(text: string, max: number): string {
  if (text.length <= max) return text;
  const head = text.slice(0, max);
  return /[\uD800-\uDBFF]$/.test(head) ? head.slice(0, -1) : head;
}
