import type { TaskView } from '../tasks/view';

/** How many recent pictures the estimate looks at: enough to smooth one slow task, few enough to follow today's provider. */
const SAMPLE = 20;

/**
 * A typical time from Generate to picture, from the most recent finished
 * tasks the gallery holds (median: one stuck task must not double every
 * estimate). Null until there are at least three to go by.
 */
export function typicalDurationMs(tasks: readonly TaskView[]): number | null {
  const durations: number[] = [];
  for (const task of tasks) {
    if (task.status !== 'COMPLETED' || !task.finishedAt) continue;
    const ms = Date.parse(task.finishedAt) - Date.parse(task.createdAt);
    if (Number.isFinite(ms) && ms > 0) durations.push(ms);
    if (durations.length === SAMPLE) break;
  }
  if (durations.length < 3) return null;
  durations.sort((a, b) => a - b);
  const middle = Math.floor(durations.length / 2);
  return durations.length % 2 ? durations[middle] : (durations[middle - 1] + durations[middle]) / 2;
}

/** "12 s", "1 min 5 s". */
export function formatSeconds(ms: number): string {
  const seconds = Math.max(0, Math.round(ms / 1000));
  return seconds < 60 ? `${seconds} s` : `${Math.floor(seconds / 60)} min ${seconds % 60} s`;
}
