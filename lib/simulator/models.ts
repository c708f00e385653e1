import { createHash } from 'node:crypto';
import type { z } from 'zod';
import { DEFAULT_MODEL, MODEL_LIST, type ModelSpec } from '../freepik/models';
import { MOTIFS, type PaintLook } from './look';
import { PAINT_MAX_SIDE, type PaintInput } from './paint';

/**
 * The simulator's side of the model registry (issue #13): which model a path belongs to, how a create body is
 * validated, and what a task of that model paints. Everything comes from the registry (lib/freepik/models):
 * paths, body schemas, expected sizes, seed rules and how each endpoint answers (ModelSpec.wire).
 */

export type InvalidParam = { name: string; reason: string };

// ---------------------------------------------------------------------------
// Routing

/**
 * The model whose create/list path `path` is, or whose task path (`<path>/<id>`) it is. `rest` is '' for the
 * create/list path, else the (still encoded) part after `<path>/`.
 */
export function routeOf(path: string): { spec: ModelSpec; rest: string } | null {
  for (const spec of MODEL_LIST) {
    if (path === spec.path) return { spec, rest: '' };
    if (path.startsWith(`${spec.path}/`)) return { spec, rest: path.slice(spec.path.length + 1) };
  }
  return null;
}

/** A model by id, for picture URLs (`/content/<model-id>/…`). */
export function servedModel(id: string): ModelSpec | undefined {
  return MODEL_LIST.find((spec) => spec.id === id);
}

// ---------------------------------------------------------------------------
// Validation

const promptRequiredCache = new WeakMap<ModelSpec, boolean>();

/** Whether the model's body requires a prompt: read off its schema (an empty body fails on `prompt`). */
function promptRequired(spec: ModelSpec): boolean {
  let required = promptRequiredCache.get(spec);
  if (required === undefined) {
    const empty = spec.bodySchema.safeParse({});
    required = !empty.success && empty.error.issues.some((i) => i.path[0] === 'prompt' && i.code !== 'unrecognized_keys');
    promptRequiredCache.set(spec, required);
  }
  return required;
}

function valueAt(body: unknown, path: readonly PropertyKey[]): unknown {
  let value = body;
  for (const key of path) {
    if (typeof value !== 'object' || value === null) return undefined;
    value = (value as Record<PropertyKey, unknown>)[key];
  }
  return value;
}

function issueParams(issue: z.core.$ZodIssue, body: unknown): InvalidParam[] {
  const at = issue.path.map(String);
  if (issue.code === 'unrecognized_keys') {
    return issue.keys.map((key) => ({ name: [...at, key].join('.'), reason: `Unknown field "${key}".` }));
  }
  const name = at.join('.') || 'body';
  // A field left out fails as a wrong type (strings, numbers) or a wrong value (enums): either way, it is missing.
  if (issue.code !== 'custom' && at.length > 0 && valueAt(body, issue.path) === undefined)
    return [{ name, reason: `${name} is required.` }];
  return [{ name, reason: `${name}: ${issue.message}` }];
}

/**
 * Validates a create body as the real endpoint would: the model's bodySchema (strict: unknown fields, wrong types,
 * out-of-range values and missing required fields are all refused), reported as `invalid_params` naming each
 * field (dotted for nested ones, e.g. `styling.colors.0.weight`). Two rules on top, both for every model:
 * - where a prompt is required, a blank one counts as missing (RunWay's behaviour in the simulator since #1);
 * - `webhook_url` must be http(s), since the simulator really POSTs there.
 */
export function validateBody(spec: ModelSpec, body: unknown): InvalidParam[] {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    return [{ name: 'body', reason: 'The request body must be a JSON object.' }];
  }
  const result = spec.bodySchema.safeParse(body);
  const problems = result.success ? [] : result.error.issues.flatMap((issue) => issueParams(issue, body));
  const b = body as Record<string, unknown>;
  const named = (name: string) => problems.some((p) => p.name === name);
  if (promptRequired(spec) && typeof b.prompt === 'string' && b.prompt.trim() === '' && !named('prompt')) {
    problems.push({ name: 'prompt', reason: 'prompt must not be empty.' });
  }
  if (typeof b.webhook_url === 'string' && !named('webhook_url') && !isWebUrl(b.webhook_url)) {
    problems.push({ name: 'webhook_url', reason: 'webhook_url must be an http(s) URL.' });
  }
  return problems;
}

function isWebUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === 'http:' || url.protocol === 'https:';
  } catch {
    return false;
  }
}

// ---------------------------------------------------------------------------
// What a task paints

/**
 * The size the simulator paints for a nominal size: the same, unless a side exceeds PAINT_MAX_SIDE (2048 px);
 * then the largest whole-number multiple of its reduced shape that fits, so the shape stays exact. Mystic's 2k
 * and 4k tiers (2× and 4× the ~1 MP nominal sizes) are the ones this touches: a square is painted 2048 × 2048
 * for both, 16:9 is painted 2048 × 1152 for both. The app checks only the shape of named-ratio pictures, never
 * their pixel count (ModelSpec.shapeOnly), so it takes them; but the stand-in is smaller than what the real
 * provider sends for those tiers (an ADR fact: docs/decisions/0016-model-registry.md).
 */
export function paintedSize(nominal: { width: number; height: number }): { width: number; height: number } {
  const { width, height } = nominal;
  if (Math.max(width, height) <= PAINT_MAX_SIDE) return { width, height };
  const g = gcd(width, height);
  const [a, b] = [width / g, height / g];
  const k = Math.floor(PAINT_MAX_SIDE / Math.max(a, b));
  if (k >= 1) return { width: a * k, height: b * k };
  // A shape too odd to keep exactly (never among the documented sizes): the nearest that fits.
  const scale = PAINT_MAX_SIDE / Math.max(width, height);
  return { width: Math.max(1, Math.round(width * scale)), height: Math.max(1, Math.round(height * scale)) };
}

function gcd(a: number, b: number): number {
  return b === 0 ? a : gcd(b, a % b);
}

/** JSON with sorted keys: the same settings always give the same text. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (typeof value === 'object' && value !== null) {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/** The settings of a body that shape the picture: everything but where to report it. */
function pictureSettings(body: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(body).filter(([key]) => key !== 'webhook_url'));
}

/**
 * A model's look (paint.ts): its name on a badge, a tint and a motif, so a comparison of models tells them apart.
 * The default model (RunWay) keeps the classic picture, byte for byte as before the registry (pinned in tests);
 * the others get evenly spaced hues and the motifs in registry order.
 */
function lookOf(spec: ModelSpec, body: Record<string, unknown>, index: number): PaintLook | undefined {
  if (spec.id === DEFAULT_MODEL) return undefined;
  const others = MODEL_LIST.filter((m) => m.id !== DEFAULT_MODEL);
  const k = Math.max(
    0,
    others.findIndex((m) => m.id === spec.id),
  );
  return {
    label: spec.name,
    hue: (200 + (k * 360) / Math.max(others.length, MOTIFS.length)) % 360,
    motif: MOTIFS[k % MOTIFS.length],
    // Settings (guidance, styling, Mystic's model…) and the picture's index change the picture, as upstream.
    key: `${spec.id}|${canonical(pictureSettings(body))}|${index}`,
  };
}

export type PicturePlan = {
  /** The size the model promises (spec.expectedSize). */
  nominal: { width: number; height: number };
  /** The size painted (paintedSize). */
  painted: { width: number; height: number };
  /** How many pictures a completed task holds: the body's `num_images` (Imagen 3), else 1. */
  count: number;
  /** The seed painted with. */
  seed: number;
  /** Whether the same body paints the same picture again (spec.reproducible). */
  reproducible: boolean;
};

/**
 * The pictures of a new task. A body the model calls reproducible paints from its seed, or — without one (Mystic's
 * `fixed_generation`) — from a hash of all its settings; any other body gets a random seed, so each task is a new
 * picture, as upstream.
 */
export function planPictures(spec: ModelSpec, body: Record<string, unknown>, randomSeed: () => number): PicturePlan {
  const nominal = spec.expectedSize(body);
  const reproducible = spec.reproducible(body);
  let seed: number;
  if (!reproducible) seed = randomSeed();
  else if (typeof body.seed === 'number') seed = body.seed;
  else
    seed = createHash('sha256')
      .update(canonical(pictureSettings(body)))
      .digest()
      .readUInt32BE(0);
  const n = body.num_images;
  const count = typeof n === 'number' && Number.isInteger(n) && n >= 1 ? Math.min(n, 8) : 1;
  return { nominal, painted: paintedSize(nominal), count, seed, reproducible };
}

/** What to paint for picture `index` of a task. */
export function paintInput(spec: ModelSpec, body: Record<string, unknown>, plan: PicturePlan, index: number): PaintInput {
  const prompt = typeof body.prompt === 'string' ? body.prompt : '';
  return { prompt, seed: plan.seed, ...plan.painted, look: lookOf(spec, body, index) };
}

/** The size option a body asks for, in the registry's terms (RunWay's `ratio`, a named `aspect_ratio`). */
export function sizeIdOf(spec: ModelSpec, body: Record<string, unknown>): string | null {
  try {
    return spec.fromBody(body).size;
  } catch {
    return null;
  }
}
