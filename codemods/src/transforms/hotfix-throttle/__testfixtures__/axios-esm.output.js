import axios from 'axios';

import { createThrottle } from '@scope/throttle';

// Phase 1 hotfix: every server update goes through one throttle: at most one every 15 s, none lost.
const updateThrottle = createThrottle({ minIntervalMs: 15000 });
const throttledAxiosPostEventsMerged = updateThrottle.wrap((url, events, config) => axios.post(url, { events }, config), {
  key: (url) => String(url),
  merge: (previous, next) => [next[0], [...previous[1], ...next[1]], next[2]],
});
const throttledAxiosPostEvents = (url, events, options) => throttledAxiosPostEventsMerged(url, [...events], options);
const throttledAxiosPutStatus = updateThrottle.wrap((...args) => axios.put(...args), { key: (url) => String(url) });

// An ESM worker posting with axios; the buffer is emptied with length = 0.
export async function processCampaign(campaign, { transporter, baseUrl }) {
  const outcomes = [];
  let i = 0;
  while (i < campaign.recipients.length) {
    const recipient = campaign.recipients[i];
    const info = await transporter.sendMail({ to: recipient.email });
    outcomes.push({ recipientId: recipient.id, outcome: 'sent', at: new Date().toISOString(), messageId: info.messageId });
    if (outcomes.length === 50) {
      await throttledAxiosPostEvents(`${baseUrl}/api/campaigns/${campaign.id}/events`, outcomes, { timeout: 5000 });
      outcomes.length = 0;
    }
    i++;
  }
  await throttledAxiosPostEvents(`${baseUrl}/api/campaigns/${campaign.id}/events`, outcomes);
  await updateThrottle.flush();
  await throttledAxiosPutStatus(`${baseUrl}/api/campaigns/${campaign.id}/status`, { state: 'completed', sent: i });
}
