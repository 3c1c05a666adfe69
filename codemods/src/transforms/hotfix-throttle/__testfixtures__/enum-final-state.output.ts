import * as api from './api';
import { State } from './contract';
import type { Outcome, StatusBody } from './contract';

import { createThrottle } from '@scope/throttle';

// Phase 1 hotfix: every server update goes through one throttle: at most one every 15 s, none lost.
const updateThrottle = createThrottle({ minIntervalMs: 15000 });
const throttledSendOutcomesMerged = updateThrottle.wrap((...args: Parameters<typeof api.sendOutcomes>) => api.sendOutcomes(...args), {
  key: (...args: Parameters<typeof api.sendOutcomes>) => args[1],
  merge: ([, , previous2]: Parameters<typeof api.sendOutcomes>, [next0, next1, next2]: Parameters<typeof api.sendOutcomes>): Parameters<typeof api.sendOutcomes> => [next0, next1, [...previous2, ...next2]],
});
const throttledSendOutcomes = (...args: Parameters<typeof api.sendOutcomes>) =>
  throttledSendOutcomesMerged(...(args.map((arg, i) => (i === 2 ? [...(arg as Parameters<typeof api.sendOutcomes>[2])] : arg)) as Parameters<typeof api.sendOutcomes>));
const throttledUpdateStatus = updateThrottle.wrap((...args: Parameters<typeof api.updateStatus>) => api.updateStatus(...args), { key: (...args: Parameters<typeof api.updateStatus>) => args[1] });

type Campaign = { readonly id: string; readonly emailsPerMinute: number };

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

export async function processCampaign(campaign: Campaign, deps: { serverUrl: string; recipients: readonly string[]; send(to: string): Promise<boolean> }): Promise<State> {
  const outcomes: Outcome[] = [];
  let sent = 0;
  let failed = 0;
  const total = deps.recipients.length;
  const report = (state: State) => ({ state, sent, failed, total }) satisfies StatusBody;
  for (const to of deps.recipients) {
    const ok = await deps.send(to);
    if (ok) sent++; else failed++;
    outcomes.push({ recipientId: to, outcome: ok ? 'sent' : 'failed', at: new Date().toISOString() } satisfies Outcome);
    if (outcomes.length >= 20) {
      await throttledSendOutcomes(deps.serverUrl, campaign.id, outcomes);
      outcomes.splice(0);
      await throttledUpdateStatus(deps.serverUrl, campaign.id, report(State.Running));
    }
    await sleep(60000 / campaign.emailsPerMinute);
  }
  await throttledSendOutcomes(deps.serverUrl, campaign.id, outcomes);
  outcomes.splice(0);
  const finalState = failed === total ? State.Failed : State.Completed;
  await updateThrottle.flush();
  await throttledUpdateStatus(deps.serverUrl, campaign.id, { state: finalState, sent, failed, total } satisfies StatusBody);
  return finalState;
}
