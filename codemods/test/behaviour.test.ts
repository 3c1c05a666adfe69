import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { createMockServer, type RequestLogEntry, startInProcess } from '@scope/mock-server';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { runTransform } from '../src/run-transform.js';
import type { Transform } from '../src/transform.js';
import { hotfixThrottle } from '../src/transforms/hotfix-throttle/index.js';
import { schedulerMigration } from '../src/transforms/scheduler-migration/index.js';

// Both transforms applied to a copy of the legacy worker; the rewritten worker runs against the mock main server
// in virtual time, and the server's log shows each phase's request pattern.
const require = createRequire(import.meta.url);
const legacy = fileURLToPath(new URL('../../apps/legacy-worker/src/', import.meta.url));
type ProcessCampaign = (campaign: unknown, deps: unknown) => Promise<unknown>;

/** Writes the rewritten worker inside this package (so it finds @scope/*) and loads a fresh copy. */
function rewrittenWorker(transform: Transform | undefined): ProcessCampaign {
  const dir = fileURLToPath(new URL(`../.generated/${transform?.name ?? 'legacy'}/`, import.meta.url));
  mkdirSync(dir, { recursive: true });
  const source = readFileSync(`${legacy}campaign.js`, 'utf8');
  const outcome = transform
    ? runTransform(transform, 'campaign.js', source)
    : { kind: 'changed' as const, output: source };
  if (outcome.kind !== 'changed') throw new Error(JSON.stringify(outcome));
  writeFileSync(`${dir}campaign.js`, outcome.output);
  copyFileSync(`${legacy}api.js`, `${dir}api.js`);
  writeFileSync(`${dir}package.json`, '{ "type": "commonjs" }\n');
  for (const file of ['campaign.js', 'api.js']) delete require.cache[`${dir}${file}`];
  return (require(`${dir}campaign.js`) as { processCampaign: ProcessCampaign }).processCampaign;
}

const T0 = Date.parse('2026-11-28T10:00:00Z');
let stop: (() => void) | undefined;
beforeEach(() => {
  vi.useFakeTimers({ now: T0, toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'] });
  vi.spyOn(Math, 'random').mockReturnValue(0.5);
});
afterEach(() => {
  stop?.();
  vi.restoreAllMocks();
  vi.useRealTimers();
});

async function run(transform: Transform | undefined) {
  const mock = createMockServer({ campaigns: { campaigns: 1, rates: [100], recipients: 1000 } });
  stop = startInProcess(mock);
  const campaign = [...mock.state.campaigns.values()][0] as { id: string };
  const transporter = { sendMail: async () => ({ messageId: '<m@test>' }) };
  const done = rewrittenWorker(transform)(campaign, { transporter, serverUrl: 'http://main.mock' });
  await vi.advanceTimersByTimeAsync(30 * 60_000);
  await done;
  const updates = mock.state.log.filter((e: RequestLogEntry) => e.endpoint === 'events' || e.endpoint === 'status');
  const gaps = updates.slice(1).map((e, i) => e.at - (updates[i] as RequestLogEntry).at);
  return { mock, campaign, updates, minGap: Math.min(...gaps) };
}

describe('the rewritten legacy worker, run against the mock main server', () => {
  it('hotfix-throttle: nothing closer than 15 s, every event once, the final status', async () => {
    const { mock, campaign, minGap } = await run(hotfixThrottle);
    expect(minGap).toBeGreaterThanOrEqual(15_000);
    expect(mock.state.summary()).toMatchObject({ eventsApplied: 1000, duplicateEvents: 0 });
    expect(mock.state.statuses.get(campaign.id)?.state).toBe('completed');
  });

  it('scheduler-migration: the adaptive interval, far fewer requests than the legacy run, every event once', async () => {
    const before = await run(undefined);
    stop?.();
    const after = await run(schedulerMigration);
    expect(after.mock.state.summary()).toMatchObject({ eventsApplied: 1000, duplicateEvents: 0, staleStatuses: 0 });
    expect(after.mock.state.statuses.get(after.campaign.id)?.state).toBe('completed');
    expect(after.minGap).toBeGreaterThanOrEqual(15_000);
    // 100/min reports every 45 s (events, then the status right after, with the legacy endpoints).
    expect(after.updates.length).toBeLessThan(before.updates.length / 2);
    const events = after.updates.filter((e) => e.endpoint === 'events').map((e) => e.at);
    const gaps = events.slice(1, -1).map((at, i) => at - (events[i] as number));
    expect(Math.min(...gaps)).toBeGreaterThanOrEqual(45_000);
    console.log(`legacy worker: ${before.updates.length} requests; after scheduler-migration: ${after.updates.length}`);
  });
});
