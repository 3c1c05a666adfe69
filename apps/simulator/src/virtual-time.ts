import FakeTimers from '@sinonjs/fake-timers';

export type VirtualClock = ReturnType<typeof FakeTimers.install>;

/**
 * Runs `body` with the clock and timers faked (Date, setTimeout, setInterval), so an hour of worker life takes a
 * moment. Promises and I/O callbacks stay real; `clock.tickAsync` lets them settle between timers.
 */
export async function inVirtualTime<T>(startAt: number, body: (clock: VirtualClock) => Promise<T>): Promise<T> {
  const clock = FakeTimers.install({
    now: startAt,
    toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'],
    loopLimit: 100_000_000,
  });
  try {
    return await body(clock);
  } finally {
    clock.uninstall();
  }
}
