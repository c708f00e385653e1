import { describe, expect, it } from 'vitest';
import {
  generationInputSchema,
  fieldErrorsOf,
  hasDoubleUnits,
  promptLength,
  RATIOS,
  SEED_MAX,
  VARIATIONS_MAX,
  type GenerationDraft,
} from '@/lib/generation/schema';
import { MODELS } from '@/lib/freepik/models';

const runwayCreateBodySchema = MODELS.runway.bodySchema;

const valid = { prompt: 'a red fox in snow', ratio: '1920:1080', seed: '' };

function errorsFor(input: Record<string, unknown>) {
  const result = generationInputSchema.safeParse(input);
  return result.success ? {} : fieldErrorsOf(result.error);
}

describe('generation schema', () => {
  it('accepts prompts of 1 and 1000 characters, rejects 0 and 1001', () => {
    expect(generationInputSchema.safeParse({ ...valid, prompt: 'x' }).success).toBe(true);
    expect(generationInputSchema.safeParse({ ...valid, prompt: 'x'.repeat(1000) }).success).toBe(true);
    expect(errorsFor({ ...valid, prompt: '' }).prompt).toBe('Write a prompt.');
    expect(errorsFor({ ...valid, prompt: '   ' }).prompt).toBe('Write a prompt.');
    expect(errorsFor({ ...valid, prompt: 'x'.repeat(1001) }).prompt).toMatch(/at most 1000/);
  });

  it('counts emoji as 2 toward the limit, and says so in the message', () => {
    expect(promptLength('🦉'.repeat(500))).toBe(1000);
    expect(generationInputSchema.safeParse({ ...valid, prompt: '🦉'.repeat(500) }).success).toBe(true);
    expect(errorsFor({ ...valid, prompt: '🦉'.repeat(1000) }).prompt).toBe(
      'The prompt is too long: at most 1000 characters (emoji and some symbols count as 2; this one counts 2000).',
    );
    expect(errorsFor({ ...valid, prompt: 'x'.repeat(1001) }).prompt).toBe('The prompt is too long: at most 1000 characters.');
    expect(hasDoubleUnits('plain é ü text')).toBe(false);
    expect(hasDoubleUnits('owl 🦉')).toBe(true);
  });

  it('accepts every one of the 16 ratios and nothing else', () => {
    expect(RATIOS).toHaveLength(16);
    for (const ratio of RATIOS) expect(generationInputSchema.safeParse({ ...valid, ratio }).success).toBe(true);
    for (const ratio of ['16:9', '1920x1080', '1921:1080', '', 1920]) {
      expect(errorsFor({ ...valid, ratio }).ratio).toBe('Choose one of the listed aspect ratios.');
    }
  });

  it('treats an empty seed as random and bounds the seed to 0…4294967295', () => {
    expect(generationInputSchema.parse({ ...valid, seed: '' }).seed).toBeUndefined();
    expect(generationInputSchema.parse({ ...valid, seed: undefined }).seed).toBeUndefined();
    expect(generationInputSchema.parse({ ...valid, seed: '0' }).seed).toBe(0);
    expect(generationInputSchema.parse({ ...valid, seed: String(SEED_MAX) }).seed).toBe(SEED_MAX);
    expect(generationInputSchema.parse({ ...valid, seed: 42 }).seed).toBe(42);
    for (const seed of ['-1', String(SEED_MAX + 1), '1.5', '1e3', 'abc', -1, 2.5, SEED_MAX + 1]) {
      expect(errorsFor({ ...valid, seed }).seed, `seed ${seed}`).toMatch(/seed must be/);
    }
  });

  it('takes 1 to 4 variations, from numbers or form strings, 1 when absent or empty', () => {
    expect(VARIATIONS_MAX).toBe(4);
    expect(generationInputSchema.parse(valid).variations).toBe(1);
    for (const empty of [undefined, null, '', '  '])
      expect(generationInputSchema.parse({ ...valid, variations: empty }).variations).toBe(1);
    for (const n of [1, 2, 3, 4]) {
      expect(generationInputSchema.parse({ ...valid, variations: n }).variations).toBe(n);
      expect(generationInputSchema.parse({ ...valid, variations: String(n) }).variations).toBe(n);
    }
    expect(generationInputSchema.parse({ ...valid, variations: ' 4 ' }).variations).toBe(4);
    const draft: GenerationDraft = {
      model: 'runway',
      prompt: 'p',
      ratio: '1024:1024',
      seed: '',
      variations: '3',
      settings: {},
      compare: [],
    };
    expect(generationInputSchema.parse(draft).variations).toBe(3);
    for (const variations of [0, 5, -1, 2.5, Number.NaN, Infinity, '0', '5', '-1', '2.5', '1e0', 'abc', 'four', true, [2], {}]) {
      expect(errorsFor({ ...valid, variations }).variations, `variations ${String(variations)}`).toBe('Choose 1 to 4 variations.');
    }
  });

  it('reports every bad field at once', () => {
    const errors = errorsFor({ prompt: '', ratio: 'nope', seed: 'x', variations: '9' });
    expect(Object.keys(errors).sort()).toEqual(['prompt', 'ratio', 'seed', 'variations']);
  });

  it('upstream body allows exactly the contract fields', () => {
    const body = { prompt: 'p', ratio: '1024:1024', seed: 7 };
    expect(runwayCreateBodySchema.parse(body)).toEqual(body);
    expect(runwayCreateBodySchema.safeParse({ ...body, negative_prompt: 'x' }).success).toBe(false);
    expect(runwayCreateBodySchema.safeParse({ ...body, webhook_url: 'https://example.test/hook' }).success).toBe(true);
    // Variations are Darkroom's: the provider gets one plain request per picture.
    expect(runwayCreateBodySchema.safeParse({ ...body, variations: 4 }).success).toBe(false);
  });
});
