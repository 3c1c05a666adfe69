// Per-call overhead of `wrap` against lodash's `throttle` and `p-throttle`, side by side in one process.
// Prints numbers; asserts nothing. Run with `pnpm bench` (it builds first).
import lodashThrottle from 'lodash.throttle';
import pThrottle from 'p-throttle';
import { Bench } from 'tinybench';
import { createThrottle } from '../dist/index.js';

// p-throttle rejects what an abort cancels; the bench drops those on purpose.
process.on('unhandledRejection', () => {});

// Calls per sample. Each sample builds a fresh throttle (so every library starts from the same state); a
// burst this long makes that one-off set-up cost a rounding error next to the calls themselves.
const BURST = 1000;
const HOUR = 3_600_000;
const noop = () => undefined;

// lodash's cancel() and p-throttle's abort() end a sample's pending work; this throttle has no cancel, so a sample
// clears the timer it leaves behind itself. Otherwise every sample's hour-long timer would keep its deferred calls
// (and each caller's promise) alive, and the numbers would measure the garbage collector, not the calls.
const realSetTimeout = globalThis.setTimeout;
let leftTimers = [];
function withOwnTimers(run) {
  return () => {
    globalThis.setTimeout = (...args) => {
      const timer = realSetTimeout(...args);
      leftTimers.push(timer);
      return timer;
    };
    try {
      run();
    } finally {
      globalThis.setTimeout = realSetTimeout;
      for (const timer of leftTimers) clearTimeout(timer);
      leftTimers = [];
    }
  };
}

const scenarios = {
  'burst inside the window (first call runs, the rest wait)': {
    '@scope/throttle wrap': withOwnTimers(() => {
      const post = createThrottle({ minIntervalMs: HOUR }).wrap(noop);
      for (let i = 0; i < BURST; i++) post(i);
    }),
    'lodash.throttle': () => {
      const post = lodashThrottle(noop, HOUR);
      for (let i = 0; i < BURST; i++) post(i);
      post.cancel();
    },
    'p-throttle': () => {
      const controller = new AbortController();
      const post = pThrottle({ limit: 1, interval: HOUR, signal: controller.signal })(noop);
      for (let i = 0; i < BURST; i++) post(i);
      controller.abort();
    },
  },
  'window always open (every call runs)': {
    '@scope/throttle wrap': withOwnTimers(() => {
      const post = createThrottle({ minIntervalMs: 0 }).wrap(noop);
      for (let i = 0; i < BURST; i++) post(i);
    }),
    'lodash.throttle': () => {
      const post = lodashThrottle(noop, 0);
      for (let i = 0; i < BURST; i++) post(i);
      post.cancel();
    },
    'p-throttle': () => {
      const post = pThrottle({ limit: BURST, interval: HOUR })(noop);
      for (let i = 0; i < BURST; i++) post(i);
    },
  },
  'keyed and merged, 10 campaigns x 100 calls (no equivalent elsewhere)': {
    '@scope/throttle wrap': withOwnTimers(() => {
      const post = createThrottle({ minIntervalMs: HOUR }).wrap(noop, {
        key: (campaignId) => campaignId,
        merge: (previous, next) => {
          previous[1].push(...next[1]);
          return previous;
        },
      });
      for (let i = 0; i < BURST; i++) post(i % 10, [i]);
    }),
  },
};

const rows = [];
for (const [scenario, tasks] of Object.entries(scenarios)) {
  const bench = new Bench({ time: 1000, warmup: true, warmupTime: 200 });
  // Each sample lets the calls that ran settle before the next, as a worker would: the same for every library.
  for (const [name, fn] of Object.entries(tasks))
    bench.add(name, async () => {
      fn();
      await null;
    });
  await bench.run();
  const nsPerCall = (task) => (task.result.latency.mean * 1e6) / BURST;
  const ours = nsPerCall(bench.tasks[0]);
  for (const task of bench.tasks) {
    const ns = nsPerCall(task);
    rows.push({
      scenario,
      library: task.name,
      'ns per call': ns.toFixed(1),
      'calls/s': Math.round(1e9 / ns).toLocaleString('en-US'),
      'vs @scope/throttle': task === bench.tasks[0] ? '1.00' : `${(ns / ours).toFixed(2)}x the time`,
      samples: task.result.latency.samplesCount,
    });
  }
}

console.log(`Per-call overhead of a throttled call (${BURST} calls per sample, Node ${process.version})`);
console.table(rows);
console.log(
  'Note: lodash.throttle keeps only the newest arguments (older calls are lost); p-throttle keeps every call\n' +
    'as its own queued timer; @scope/throttle keeps every call in one merged trailing call per key.',
);
process.exit(0);
