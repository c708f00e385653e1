import type { z } from 'zod';
import type { ProviderTask, WireTask } from '../schemas';

/**
 * The shape every text-to-image model module under lib/freepik/models/ has
 * (issue #13). The registry (./index.ts) is the only place that tells models
 * apart: the follower, reconciliation, webhooks, the simulator, the form and
 * the viewer ask a ModelSpec instead of testing `model === …`.
 *
 * Pure data and zod: no 'server-only', so the composer can read sizes, seed
 * rules and settings fields from the same modules the upstream client uses.
 */

export const MODEL_IDS = ['runway', 'flux-dev', 'hyperflux', 'flux-pro-v1-1', 'seedream-v4', 'imagen3', 'mystic'] as const;
export type ModelId = (typeof MODEL_IDS)[number];

/**
 * One choice of the size picker. `id` is what the model's body carries (RunWay's pixel `ratio` string, or a
 * named `aspect_ratio` such as `widescreen_16_9`); width × height is the nominal pixel size: exact for RunWay,
 * Darkroom's documented choice for named ratios (docs/decisions/0016-model-registry.md). It is used for
 * layout before the picture exists and for the shape check of a finished picture.
 */
export type SizeOption = { id: string; label: string; width: number; height: number };

/** Inclusive seed bounds, or null for a model without a seed (Imagen 3, Mystic). */
export type SeedRule = { min: number; max: number } | null;

/** One control of a model's **Advanced** section, described so the form can render it without knowing the model. */
export type SettingField =
  | { kind: 'select'; name: string; label: string; options: ReadonlyArray<{ value: string; label: string }>; help?: string }
  | { kind: 'number'; name: string; label: string; min: number; max: number; step: number; help?: string }
  | { kind: 'checkbox'; name: string; label: string; help?: string }
  /** Up to 5 colours with weights, written as text: "#FF8800 0.5, #0044CC" (weight 0.05–1, default 0.5). */
  | { kind: 'colors'; name: string; label: string; help?: string };

/**
 * What a person asks of a model, in the form's terms: the prompt, a size option id, a seed where the model has
 * one, and the model's own settings (names of its settingsFields; values already typed: numbers, booleans,
 * strings, colours as `{ color, weight }[]`). Unset settings are absent: the provider's defaults apply.
 */
export type ModelRequest = {
  prompt: string;
  size: string;
  seed?: number;
  settings: Record<string, unknown>;
};

export type ModelSpec = {
  id: ModelId;
  /** Display name, e.g. "Flux Pro 1.1". */
  name: string;
  /** One line for the Model control's description. */
  summary: string;
  /** Create and list path; a task is `${path}/${taskId}`. */
  path: string;
  /** Prompt limit: RunWay's documented 1000, a sane cap where the docs give none (said in the form). */
  promptMax: number;
  /** True when the docs give the limit; false when promptMax is Darkroom's own cap. */
  promptMaxDocumented: boolean;
  sizes: readonly SizeOption[];
  defaultSize: string;
  /**
   * The size options allowed with these settings (form strings or typed), where a setting narrows `sizes`:
   * Mystic's `fluid` model takes 5 of its ratios. Absent: always `sizes`. Read it through sizeOptionsFor()
   * (./index.ts).
   */
  sizesFor?(settings: Record<string, unknown>): readonly SizeOption[];
  seed: SeedRule;
  settingsFields: readonly SettingField[];
  /** Validates the settings object of a ModelRequest (every field optional; strict: unknown names refused). */
  settingsSchema: z.ZodType<Record<string, unknown>>;
  /** The create body exactly as documented: strict, every limit; `webhook_url` included (optional). */
  bodySchema: z.ZodType<Record<string, unknown>>;
  /**
   * The body for a request (without webhook_url), validated by bodySchema; throws a ZodError for a request the
   * model cannot take. Stored per task as its parameters, so Reproduce, New seed, Edit and export carry it.
   */
  toBody(request: ModelRequest): Record<string, unknown>;
  /** Back from stored parameters (a body) to the form's terms: Edit, Reproduce, New seed. */
  fromBody(body: Record<string, unknown>): ModelRequest;
  /** The body with another seed (New seed); for a model without a seed, the same body. */
  withSeed(body: Record<string, unknown>, seed: number): Record<string, unknown>;
  /** Whether sending the body again makes the same picture: a seed, or Mystic's fixed_generation. */
  reproducible(body: Record<string, unknown>): boolean;
  /** The nominal pixel size of what the body asks for (Mystic's resolution scales it). */
  expectedSize(body: Record<string, unknown>): { width: number; height: number };
  /**
   * True when only the shape of a finished picture can be checked (named ratios: sizes are not documented),
   * false when the provider promises the exact pixel size (RunWay's pixel ratios).
   */
  shapeOnly: boolean;
  /**
   * How the endpoint answers, beyond its body (../../../shared/freepik-models.md): whether a create answer carries
   * `generated` (Flux Dev and Flux Pro 1.1 leave it out), and whether `generated` may hold the pictures themselves
   * as base64 (Imagen 3's docs show both). The client tolerates both anyway; the simulator reproduces them.
   */
  wire: { createHasGenerated: boolean; mayAnswerBase64: boolean };
  /**
   * A provider task (create, get or webhook payload, already parsed as a WireTask) in our terms: a missing
   * `generated` is an empty list; throws UpstreamError('invalid-response') for entries that are not pictures.
   */
  reshape(raw: WireTask): ProviderTask;
};
