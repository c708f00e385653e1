import { describe, expect, it } from 'vitest';
import { MODELS } from '@/lib/freepik/models';
import { RECONCILE_AFTER_MS, TaskFollower } from '@/lib/tasks/follower';
import { fakeWorld } from '../support/fake-follower-world';

/**
 * The follower with models other than RunWay (issue #13): it sends each task's stored body to its own
 * model's endpoint, reconciles an unknown create against that model's own list, and reads each model's
 * answers through the model's reshape (Imagen 3's base64 pictures included).
 */
function setup() {
  const world = fakeWorld();
  const follower = new TaskFollower(world.deps);
  const tick = async (ms = 0) => {
    await world.clock.advance(ms);
    await follower.step();
  };
  return { ...world, follower, tick };
}

const fluxBody = { prompt: 'a fox', aspect_ratio: 'widescreen_16_9', seed: 7 };

describe('follower: every model through the registry', () => {
  it("sends a task's stored body, exactly, to its own model", async () => {
    const { tasks, provider, tick } = setup();
    tasks.add({ spec: MODELS['flux-dev'], body: fluxBody, ratio: '1344:756' });
    tasks.add({ spec: MODELS.imagen3, body: { prompt: 'an owl', num_images: 1, aspect_ratio: 'square_1_1' }, ratio: '1024:1024' });
    await tick();
    expect(provider.calls.create).toEqual([
      { model: 'flux-dev', ...fluxBody },
      { model: 'imagen3', prompt: 'an owl', num_images: 1, aspect_ratio: 'square_1_1' },
    ]);
  });

  it("reconciles an unknown create against its model's own list only", async () => {
    const { tasks, provider, tick } = setup();
    // A RunWay task exists upstream that Darkroom does not know: it must not be taken for the Flux task.
    provider.upstream.set('stray-runway', { model: 'runway', status: 'IN_PROGRESS', request: {} });
    provider.createScript = [{ createdAnyway: 'timeout' }];
    const task = tasks.add({ spec: MODELS['flux-dev'], body: fluxBody, ratio: '1344:756' });
    await tick();
    expect(tasks.get(task.id)).toMatchObject({ status: 'QUEUED', providerTaskId: null });
    await tick(RECONCILE_AFTER_MS);
    expect(provider.listed).toEqual(['flux-dev']);
    // The one unknown Flux Dev task is ours; the stray RunWay one would have made it ambiguous.
    expect(tasks.get(task.id)).toMatchObject({ status: 'GENERATING', providerTaskId: 'up-1', needsDecision: false });
  });

  it('reads status with the task model (the fake, like the provider, knows a task only under its own model)', async () => {
    const { tasks, provider, tick } = setup();
    const body = { prompt: 'x', aspect_ratio: 'square_1_1', seed: 3 };
    const task = tasks.add({ spec: MODELS['seedream-v4'], body, ratio: '1024:1024' });
    await tick();
    provider.finish('up-1');
    await tick(60_000);
    expect(provider.calls.get).toEqual(['up-1']);
    expect(tasks.get(task.id).status).toBe('COMPLETED');
  });

  it("applies a webhook report through the task's model: Imagen 3's base64 picture is saved from the response", async () => {
    const { tasks, follower, tick, downloads } = setup();
    const task = tasks.add({
      spec: MODELS.imagen3,
      body: { prompt: 'an owl', num_images: 1, aspect_ratio: 'square_1_1' },
      ratio: '1024:1024',
    });
    await tick();
    const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2, 3]).toString('base64');
    await follower.report({ task_id: 'up-1', status: 'COMPLETED', generated: [png] });
    expect(downloads).toEqual([`data:image/png;base64,${png}`]);
    expect(tasks.get(task.id).status).toBe('COMPLETED');
    // Nothing to repair from later: a picture that came inside the answer has no link.
    expect(tasks.get(task.id).picture?.sourceUrl).toBe('inline');
  });

  it('ignores a webhook report its model cannot read (a RunWay task does not take base64)', async () => {
    const { tasks, follower, tick, logs } = setup();
    const task = tasks.add();
    await tick();
    await follower.report({ task_id: 'up-1', status: 'COMPLETED', generated: ['iVBORw0KGgo='] });
    expect(tasks.get(task.id).status).toBe('GENERATING');
    expect(logs.join('\n')).toMatch(/not a RunWay task update/);
  });
});
