import * as api from './api';
import { State } from './contract';
import type { Outcome, StatusBody } from './contract';

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
      await api.sendOutcomes(deps.serverUrl, campaign.id, outcomes);
      outcomes.splice(0);
      await api.updateStatus(deps.serverUrl, campaign.id, report(State.Running));
    }
    await sleep(60000 / campaign.emailsPerMinute);
  }
  await api.sendOutcomes(deps.serverUrl, campaign.id, outcomes);
  outcomes.splice(0);
  const finalState = failed === total ? State.Failed : State.Completed;
  await api.updateStatus(deps.serverUrl, campaign.id, { state: finalState, sent, failed, total } satisfies StatusBody);
  return finalState;
}
