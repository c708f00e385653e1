import { describe, expect, it } from 'vitest';
import { formatSeconds, typicalDurationMs } from '../../lib/client/durations';
import type { TaskView } from '../../lib/tasks/view';

const at = Date.parse('2026-12-02T10:00:00.000Z');
function done(seconds: number, status: TaskView['status'] = 'COMPLETED'): TaskView {
  return {
    status,
    createdAt: new Date(at).toISOString(),
    finishedAt: new Date(at + seconds * 1000).toISOString(),
  } as TaskView;
}

describe('the estimate from recent durations', () => {
  it('needs three finished pictures', () => {
    expect(typicalDurationMs([done(10), done(12)])).toBeNull();
    expect(typicalDurationMs([done(10), done(12), done(14)])).toBe(12_000);
  });

  it('is the median, so one stuck task does not double it', () => {
    expect(typicalDurationMs([done(10), done(11), done(12), done(600)])).toBe(11_500);
  });

  it('ignores failed and unfinished tasks and looks at the 20 most recent', () => {
    const tasks = [done(5, 'FAILED'), { ...done(5), finishedAt: null }, ...Array.from({ length: 20 }, () => done(8)), done(100), done(100)];
    expect(typicalDurationMs(tasks)).toBe(8_000);
  });

  it('formats seconds and minutes', () => {
    expect(formatSeconds(4_400)).toBe('4 s');
    expect(formatSeconds(65_000)).toBe('1 min 5 s');
  });
});
