import { createMockServer, type DemoCampaign, demoCampaigns, type MockServer, seededRandom } from '@scope/mock-server';
import { getResponse } from 'msw';
import { type Measurement, measure } from './metrics.js';
import type { Scenario } from './scenarios.js';
import { type SimMail, simMail, type Variant } from './variants/types.js';
import { inVirtualTime } from './virtual-time.js';

const T0 = Date.parse('2026-11-28T08:00:00Z');
/** How long past its planned end a run may go on (delivering a backlog, or slowed down) before it is cut off. */
const OVERTIME_MINUTES = 120;
const SERVER = 'http://main.mock';

/**
 * Answers `fetch` with the mock's msw handlers directly (`getResponse`), as `startInProcess` does but without the
 * interception layer, which costs more than the handlers themselves when a fleet makes tens of thousands of
 * requests. A network error injected by the mock rejects, as fetch does.
 */
function answerFetchWith(mock: MockServer): () => void {
  const original = globalThis.fetch;
  globalThis.fetch = async (input, init) => {
    const request = new Request(input, init);
    const response = await getResponse(mock.handlers, request);
    if (response === undefined)
      return new Response(JSON.stringify({ error: `no route for ${request.url}` }), { status: 404 });
    if (response.type === 'error') throw new TypeError('fetch failed');
    return response;
  };
  return () => {
    globalThis.fetch = original;
  };
}

/** Each worker's campaigns: `rates` campaigns per worker, each as long as the scenario. */
function campaignsOf(scenario: Scenario, seed: number): DemoCampaign[][] {
  return Array.from({ length: scenario.workers }, (_, w) =>
    demoCampaigns({
      seed: seed * 1000 + w,
      campaigns: scenario.rates.length,
      rates: scenario.rates,
      recipients: (rate) => rate * scenario.minutes,
    }),
  );
}

/**
 * Runs one variant through one scenario in virtual time against the msw mock main server, and measures what the
 * server saw. Deterministic for a seed.
 */
export async function simulate(scenario: Scenario, variant: Variant, seed: number): Promise<Measurement> {
  await variant.prepare?.();
  return inVirtualTime(T0, async (clock) => {
    const workers = campaignsOf(scenario, seed);
    const mock = createMockServer({ seed, campaigns: workers.flat(), faults: scenario.faults ?? {} });
    const stop = answerFetchWith(mock);
    // The legacy worker draws its 10-25 s windows from Math.random: seed it too.
    const random = Math.random;
    let state = seed;
    Math.random = () => {
      state = (state * 1_103_515_245 + 12_345) % 2_147_483_648;
      return state / 2_147_483_648;
    };
    const log = console.warn;
    const error = console.error;
    console.warn = () => undefined;
    console.error = () => undefined;
    try {
      const mails = workers.map(() => simMail());
      let done = false;
      // A fleet's workers take up their campaigns at different moments within the first minute, as real ones do.
      const startOffset = seededRandom(seed + 17);
      const started = workers.map(async (campaigns, w) => {
        if (workers.length > 1) await new Promise((resolve) => setTimeout(resolve, Math.floor(startOffset() * 60_000)));
        await variant.runWorker(campaigns, SERVER, mails[w] as SimMail);
      });
      void Promise.all(started).finally(() => {
        done = true;
      });
      // Let the workers run their time and deliver what is left; a worker slowed past the cap is cut off there.
      let minutes = 0;
      // Events the workers have recorded (emails sent) by the end of each minute.
      const recordedByMinute: number[] = [];
      const sent = () => mails.reduce((n, mail) => n + mail.sent, 0);
      while (!done && minutes < scenario.minutes + OVERTIME_MINUTES) {
        await clock.tickAsync(60_000);
        minutes++;
        recordedByMinute.push(sent());
      }
      const recorded = sent();
      const planned = workers.flat().reduce((n, c) => n + c.recipients.length, 0);
      return measure(scenario, variant.name, mock, T0, {
        recorded,
        planned,
        finished: done,
        minutes,
        recordedByMinute,
      });
    } finally {
      Math.random = random;
      console.warn = log;
      console.error = error;
      stop();
    }
  });
}
