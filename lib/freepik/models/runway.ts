import { z } from 'zod';
import { reshapeTask } from '../schemas';
import type { ModelRequest, ModelSpec, SizeOption } from './types';

/** Output sizes RunWay accepts, as `width:height` in pixels (upstream contract). */
export const RATIOS = [
  '1920:1080',
  '1080:1920',
  '1024:1024',
  '1360:768',
  '1080:1080',
  '1168:880',
  '1440:1080',
  '1080:1440',
  '1808:768',
  '2112:912',
  '1280:720',
  '720:1280',
  '720:720',
  '960:720',
  '720:960',
  '1680:720',
] as const;

export type Ratio = (typeof RATIOS)[number];

/** The pixel size of a `width:height` string: a RunWay ratio, or a task's nominal size (any model). */
export function ratioSize(ratio: Ratio | string): { width: number; height: number } {
  const [width, height] = ratio.split(':').map(Number);
  return { width, height };
}

/**
 * RunWay (Gen4 Image): the default and the reason Darkroom exists. Pixel `ratio` strings, a required prompt of
 * 1–1000 characters, seed 0–4294967295 (../../../shared/freepik-models.md §7).
 */
const PATH = '/v1/ai/text-to-image/runway';
export const RUNWAY_SEED_MAX = 4294967295;

const bodySchema = z.strictObject({
  prompt: z.string().min(1).max(1000),
  ratio: z.enum(RATIOS),
  seed: z.number().int().min(0).max(RUNWAY_SEED_MAX).optional(),
  webhook_url: z.url().optional(),
});

const sizes: SizeOption[] = RATIOS.map((ratio) => ({ id: ratio, label: ratio, ...ratioSize(ratio) }));

export const runwayModel: ModelSpec = {
  id: 'runway',
  name: 'RunWay',
  summary: 'RunWay Gen4 Image: 16 exact pixel sizes, seeded, prompts up to 1000 characters.',
  path: PATH,
  promptMax: 1000,
  promptMaxDocumented: true,
  sizes,
  defaultSize: '1920:1080',
  seed: { min: 0, max: RUNWAY_SEED_MAX },
  settingsFields: [],
  settingsSchema: z.strictObject({}),
  bodySchema,
  shapeOnly: false,
  wire: { createHasGenerated: true, mayAnswerBase64: false },
  toBody(request: ModelRequest) {
    return bodySchema.parse({ prompt: request.prompt, ratio: request.size, seed: request.seed });
  },
  fromBody(body) {
    const b = bodySchema.parse(body);
    return { prompt: b.prompt, size: b.ratio, seed: b.seed, settings: {} };
  },
  withSeed(body, seed) {
    return bodySchema.parse({ ...body, seed });
  },
  reproducible(body) {
    return typeof body.seed === 'number';
  },
  expectedSize(body) {
    return ratioSize(body.ratio as Ratio);
  },
  reshape: reshapeTask,
};
