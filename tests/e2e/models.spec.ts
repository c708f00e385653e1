import type { Page } from '@playwright/test';
import { MODEL_LIST } from '../../lib/freepik/models';
import { test, expect, chooseRatio, expectCompleted, openStudio, simLog, tileFor, openAdvanced, advancedSummary } from './support/fixtures';

/**
 * Every Freepik text-to-image model in demo mode (issue #13): the Model control, sizes and seed that follow
 * the model, Advanced settings, Compare models, and Reproduce only where it really reproduces. The
 * simulator checks each body as strictly as the real endpoints document them, so a create it accepted is a
 * body the provider would accept.
 */

type Create = { model: string; body: Record<string, unknown>; status: number };

async function createsOf(tag: string): Promise<Create[]> {
  const log = (await simLog()) as unknown as { creates: Create[] };
  return log.creates.filter((c) => c.status === 200 && String(c.body.prompt ?? '').includes(tag));
}

const modelControl = (page: Page) => page.getByRole('combobox', { name: 'Model', exact: true });

async function chooseModel(page: Page, name: string) {
  await modelControl(page).selectOption({ label: name });
}

test.describe('models', () => {
  test('generates with each of the seven models in demo mode, each body sent to its own endpoint', async ({ page, tag }) => {
    test.setTimeout(120_000);
    await openStudio(page);
    for (const model of MODEL_LIST) {
      await chooseModel(page, model.name);
      await page.getByRole('textbox', { name: 'Prompt' }).fill(`${tag} ${model.id} harbour at dawn`);
      await page.getByRole('button', { name: 'Generate' }).click();
      await expect(tileFor(page, `${tag} ${model.id} `)).toHaveCount(1);
    }
    for (const model of MODEL_LIST) await expectCompleted(page, `${tag} ${model.id} `, 30_000);

    const creates = await createsOf(tag);
    expect(creates.map((c) => c.model).sort()).toEqual(MODEL_LIST.map((m) => m.id).sort());
    const bodyOf = (id: string) => creates.find((c) => c.model === id)!.body;
    expect(Object.keys(bodyOf('runway')).sort()).toEqual(['prompt', 'ratio', 'seed']);
    // Each switch kept RunWay's default 16:9 shape.
    expect(bodyOf('flux-dev')).toMatchObject({ aspect_ratio: 'widescreen_16_9' });
    expect(Number.isInteger(bodyOf('flux-dev').seed)).toBe(true);
    // No seed where the model has none; Imagen makes one picture per task.
    expect(bodyOf('imagen3')).toEqual({ prompt: `${tag} imagen3 harbour at dawn`, num_images: 1, aspect_ratio: 'widescreen_16_9' });
    expect(bodyOf('mystic')).not.toHaveProperty('seed');

    // The viewer names the model; a model without a seed offers Generate again, and says why.
    await tileFor(page, `${tag} imagen3 `).locator('[data-tile]').click();
    const dialog = page.getByRole('dialog');
    await expect(dialog.getByTestId('dialog-model')).toHaveText('Imagen 3');
    await expect(dialog.getByTestId('dialog-seed')).toHaveCount(0);
    await expect(dialog.getByRole('button', { name: 'Reproduce', exact: true })).toHaveCount(0);
    await expect(dialog.getByRole('button', { name: 'Generate again' })).toHaveAccessibleDescription(/Imagen 3 has no seed/);
    await expect(dialog.getByRole('button', { name: 'New seed' })).toHaveCount(0);
  });

  test('switching models keeps the prompt and the closest shape, and shows only what the model has', async ({ page, tag }) => {
    await openStudio(page);
    const prompt = page.getByRole('textbox', { name: 'Prompt' });
    await prompt.fill(`${tag} a tall lighthouse`);
    await chooseRatio(page, '1080:1920');
    await page.getByLabel('Seed').fill('3000000000');

    await chooseModel(page, 'Flux Dev');
    await expect(prompt).toHaveValue(`${tag} a tall lighthouse`);
    await expect(page.getByRole('combobox', { name: 'Aspect ratio' })).toHaveValue('social_story_9_16');
    await expect(page.getByLabel('Seed')).toHaveValue('3000000000'); // within Flux Dev's 1–4294967295

    await chooseModel(page, 'Seedream 4');
    await expect(page.getByLabel('Seed')).toHaveValue(''); // beyond Seedream's 0–2147483647: cleared, not sent
    await expect(page.getByRole('combobox', { name: 'Aspect ratio' })).toHaveValue('social_story_9_16');

    await chooseModel(page, 'Imagen 3');
    await expect(page.getByLabel('Seed')).toBeHidden();
    await expect(page.getByTestId('no-seed')).toHaveText('Imagen 3 has no seed');
    await openAdvanced(page);
    await expect(page.getByLabel('Style')).toBeVisible();
    await expect(page.getByLabel('Guidance scale')).toHaveCount(0);

    await chooseModel(page, 'RunWay');
    await expect(prompt).toHaveValue(`${tag} a tall lighthouse`);
    await expect(page.getByRole('combobox', { name: 'Aspect ratio' })).toHaveAttribute('data-value', '1080:1920');
    await expect(advancedSummary(page)).toHaveCount(0); // RunWay has no settings of its own
  });

  test('Advanced settings go into the body; a bad value is refused at its field and nothing is sent', async ({ page, tag }) => {
    await openStudio(page);
    await chooseModel(page, 'Seedream 4');
    await page.getByRole('textbox', { name: 'Prompt' }).fill(`${tag} fox in snow`);
    await openAdvanced(page);
    const guidance = page.getByLabel('Guidance scale');
    await guidance.fill('25');
    await page.getByRole('button', { name: 'Generate' }).click();
    await expect(guidance).toHaveAttribute('aria-invalid', 'true');
    await expect(guidance).toHaveAccessibleDescription(/from 0 to 20/);
    expect(await createsOf(tag)).toHaveLength(0);

    await guidance.fill('7.5');
    await page.getByRole('button', { name: 'Generate' }).click();
    await expect.poll(async () => (await createsOf(tag)).length).toBe(1);
    const [create] = await createsOf(tag);
    expect(create.model).toBe('seedream-v4');
    expect(create.body).toMatchObject({ prompt: `${tag} fox in snow`, aspect_ratio: 'widescreen_16_9', guidance_scale: 7.5 });
  });

  test('compares three models side by side as one group, with one seed, and reproduces the group', async ({ page, tag }) => {
    test.setTimeout(90_000);
    await openStudio(page);
    await page.getByRole('textbox', { name: 'Prompt' }).fill(`${tag} red fox portrait`);
    await page.getByLabel('Seed').fill('4242');
    await page.getByRole('checkbox', { name: /Compare models/ }).check();
    const models = page.getByRole('group', { name: /Models to compare/ });
    await expect(models.getByRole('checkbox', { name: 'RunWay' })).toBeChecked();
    await expect(models.getByRole('checkbox', { name: 'RunWay' })).toBeDisabled(); // the Model control's model is always in
    await models.getByRole('checkbox', { name: 'Seedream 4' }).check();
    await expect(models.getByRole('checkbox', { name: 'Flux Dev' })).toBeChecked(); // ticked when Compare was turned on
    await page.getByRole('button', { name: 'Generate' }).click();

    await expect(tileFor(page, tag)).toHaveCount(3);
    for (const tile of await tileFor(page, tag).all()) await expect(tile).toContainText('Completed', { timeout: 30_000 });
    const creates = await createsOf(tag);
    expect(creates.map((c) => c.model)).toEqual(expect.arrayContaining(['runway', 'flux-dev', 'seedream-v4']));
    expect(creates.map((c) => c.body.seed)).toEqual([4242, 4242, 4242]);
    // Side by side, in the order chosen, each saying which model made it.
    const badges = await tileFor(page, tag).getByTestId('tile-seed').allTextContents();
    expect(badges.map((b) => b.replace(/\s+/g, ' ').trim())).toEqual([
      '1/3 · seed 4242',
      '2/3 · Flux Dev · seed 4242',
      '3/3 · Seedream 4 · seed 4242',
    ]);

    await tileFor(page, tag).first().locator('[data-tile]').click();
    const dialog = page.getByRole('dialog');
    await expect(dialog.getByRole('heading', { name: 'This comparison · 3 models' })).toBeVisible();
    await dialog.getByRole('button', { name: 'Reproduce batch' }).click();
    await expect(tileFor(page, tag)).toHaveCount(6);
    await expect.poll(async () => (await createsOf(tag)).length).toBe(6);
    const again = (await createsOf(tag)).slice(3);
    expect(again.map((c) => c.body)).toEqual(expect.arrayContaining(creates.map((c) => c.body)));
  });

  test('Reproduce on a seeded model sends the very same body again', async ({ page, tag }) => {
    await openStudio(page);
    await chooseModel(page, 'Flux Dev');
    await page.getByRole('textbox', { name: 'Prompt' }).fill(`${tag} glass teapot`);
    await page.getByRole('combobox', { name: 'Aspect ratio' }).selectOption('standard_3_2');
    await page.getByLabel('Seed').fill('77');
    await openAdvanced(page);
    await page.getByLabel('Colour effect').selectOption({ label: 'Vibrant' });
    await page.getByRole('button', { name: 'Generate' }).click();
    await expectCompleted(page, tag, 30_000);

    await tileFor(page, tag).locator('[data-tile]').click();
    const dialog = page.getByRole('dialog');
    await expect(dialog.getByTestId('dialog-model')).toHaveText('Flux Dev');
    await expect(dialog).toContainText('Vibrant');
    await dialog.getByRole('button', { name: 'Reproduce', exact: true }).click();
    await expect.poll(async () => (await createsOf(tag)).length).toBe(2);
    const [first, second] = await createsOf(tag);
    expect(second).toMatchObject({ model: 'flux-dev', body: first.body });
    expect(first.body).toEqual({
      prompt: `${tag} glass teapot`,
      aspect_ratio: 'standard_3_2',
      seed: 77,
      styling: { effects: { color: 'vibrant' } },
    });
    // Same model, body and seed: the simulator paints the same picture, as the provider would.
    await expect(tileFor(page, tag)).toHaveCount(2);
    for (const tile of await tileFor(page, tag).all()) await expect(tile).toContainText('Completed', { timeout: 30_000 });
  });

  test('the gallery filters by model', async ({ page, tag }) => {
    await openStudio(page);
    await chooseModel(page, 'HyperFlux');
    await page.getByRole('textbox', { name: 'Prompt' }).fill(`${tag} hyper kite`);
    await page.getByRole('button', { name: 'Generate' }).click();
    await chooseModel(page, 'RunWay');
    await page.getByRole('textbox', { name: 'Prompt' }).fill(`${tag} runway kite`);
    await page.getByRole('button', { name: 'Generate' }).click();
    await expect(tileFor(page, tag)).toHaveCount(2);

    await page.goto('/?model=hyperflux');
    await expect(tileFor(page, `${tag} hyper`)).toHaveCount(1);
    await expect(tileFor(page, `${tag} runway`)).toHaveCount(0);
  });
});
