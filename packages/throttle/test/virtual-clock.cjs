'use strict';
// Preloaded (`node --require`) into the child processes of this package's tests: time there is virtual.
// `Date.now()` moves only when a timer fires, to that timer's due time, so calls made between two timers happen at
// one instant however slowly a loaded machine runs them; a timer fires after a thousandth of its delay in real time,
// so a 15 s window takes 15 ms. Timers stay real Node.js timers (ref, unref and clearTimeout work as usual), which
// is what the tests of process exit need. They fire in the order of their real delays: the processes these tests
// run hold one timer at a time (the throttle's), where that is the virtual order too.
const realSetTimeout = globalThis.setTimeout;
let now = Date.now();
Date.now = () => now;
globalThis.setTimeout = (callback, delay = 0, ...args) => {
  const due = now + Math.max(0, Number(delay) || 0);
  return realSetTimeout(
    () => {
      if (due > now) now = due;
      callback(...args);
    },
    (due - now) / 1000,
  );
};
