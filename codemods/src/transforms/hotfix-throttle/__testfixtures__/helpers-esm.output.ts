import { fetchRecipients, postOutcomes, putStatus } from './server-api';
import type { Campaign, Deps } from './types';

import { createThrottle } from '@scope/throttle';

// Phase 1 hotfix: every server update goes through one throttle: at most one every 15 s, none lost.
const updateThrottle = createThrottle({ minIntervalMs: 15000 });
const throttledPostOutcomesMerged = updateThrottle.wrap(postOutcomes, {
  key: (...args: Parameters<typeof postOutcomes>) => args[0],
  merge: ([, previous1]: Parameters<typeof postOutcomes>, [next0, next1]: Parameters<typeof postOutcomes>): Parameters<typeof postOutcomes> => [next0, [...previous1, ...next1]],
});
const throttledPostOutcomes = (...args: Parameters<typeof postOutcomes>) =>
  throttledPostOutcomesMerged(...(args.map((arg, i) => (i === 1 ? [...(arg as Parameters<typeof postOutcomes>[1])] : arg)) as Parameters<typeof postOutcomes>));
const throttledPutStatus = updateThrottle.wrap(putStatus, { key: (...args: Parameters<typeof putStatus>) => args[0] });

// Legacy TypeScript worker: posts outcomes every 50 and the status each minute.
export const processCampaign = async (campaign: Campaign, deps: Deps): Promise<void> => {
  const recipients = await fetchRecipients(campaign.id);
  let outcomes: Outcome[] = [];
  let sent = 0;
  for (let i = 0; i < recipients.length; i++) {
    const recipient = recipients[i];
    await deps.mailer.send(recipient);
    sent++;
    outcomes.push({ recipientId: recipient.id, outcome: 'sent', at: new Date().toISOString() });
    if (outcomes.length >= 50) {
      await throttledPostOutcomes(campaign.id, outcomes);
      outcomes.length = 0;
    }
    if (sent % campaign.emailsPerMinute === 0) {
      await throttledPutStatus(campaign.id, { state: 'running', sent, total: recipients.length });
    }
  }
  await throttledPostOutcomes(campaign.id, outcomes);
  await updateThrottle.flush();
  await throttledPutStatus(campaign.id, { state: 'completed', sent, total: recipients.length });
};
