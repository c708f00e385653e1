import { describe, expect, it } from 'vitest';
import { allowedSources, canTransition, isFinished, TASK_STATUSES, type TaskStatus } from '@/lib/tasks/status';

describe('task status rules', () => {
  const cases: Array<[TaskStatus, TaskStatus, boolean]> = [
    ['QUEUED', 'QUEUED', true],
    ['QUEUED', 'GENERATING', true],
    ['QUEUED', 'COMPLETED', true],
    ['QUEUED', 'FAILED', true],
    ['GENERATING', 'QUEUED', false],
    ['GENERATING', 'GENERATING', true],
    ['GENERATING', 'COMPLETED', true],
    ['GENERATING', 'FAILED', true],
    ['COMPLETED', 'GENERATING', false],
    ['COMPLETED', 'QUEUED', false],
    ['COMPLETED', 'FAILED', false],
    ['COMPLETED', 'COMPLETED', false],
    ['FAILED', 'COMPLETED', false],
    ['FAILED', 'QUEUED', false],
    ['QUEUED', 'UNSAVED', true],
    ['GENERATING', 'UNSAVED', true],
    // Only a person's "Fetch again" (state-machine markRefetching, an explicit source) leaves Unsaved.
    ['UNSAVED', 'GENERATING', false],
    ['UNSAVED', 'FAILED', false],
    ['COMPLETED', 'UNSAVED', false],
  ];
  it.each(cases)('%s → %s allowed: %s', (from, to, expected) => {
    expect(canTransition(from, to)).toBe(expected);
  });

  it('finished statuses (nothing happens without a person) are Completed, Failed and Unsaved', () => {
    expect(TASK_STATUSES.filter(isFinished)).toEqual(['COMPLETED', 'FAILED', 'UNSAVED']);
  });

  it('derives the allowed sources used by the conditional DB writes', () => {
    expect(allowedSources('COMPLETED')).toEqual(['QUEUED', 'GENERATING']);
    expect(allowedSources('GENERATING')).toEqual(['QUEUED', 'GENERATING']);
    expect(allowedSources('QUEUED')).toEqual(['QUEUED']);
  });
});
