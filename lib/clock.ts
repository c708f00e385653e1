/**
 * Time as a dependency: the follower and the provider rate limiter read the
 * time and set timers only through a Clock, so their decisions are unit-tested
 * with a fake clock (tests/support/fake-clock.ts) instead of waiting.
 */
export type TimerHandle = { unref?: () => unknown } | number | undefined;

export type Clock = {
  now(): number;
  setTimeout(callback: () => void, ms: number): TimerHandle;
  clearTimeout(handle: TimerHandle): void;
};

export const systemClock: Clock = {
  now: () => Date.now(),
  setTimeout: (callback, ms) => {
    const handle = setTimeout(callback, ms);
    handle.unref?.(); // background work never keeps the process alive
    return handle;
  },
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout | undefined),
};
