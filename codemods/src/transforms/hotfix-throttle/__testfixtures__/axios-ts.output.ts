import axios from 'axios';

import { createThrottle } from '@scope/throttle';

// Phase 1 hotfix: every server update goes through one throttle: at most one every 15 s, none lost.
const updateThrottle = createThrottle({ minIntervalMs: 15000 });
const throttledAxiosPostEventsMerged = updateThrottle.wrap((url: string | URL, events: readonly unknown[], config?: Parameters<typeof axios.post>[2]) => axios.post(String(url), { events }, config), {
  key: (...args) => String(args[0]),
  merge: (previous, next) => [next[0], [...previous[1], ...next[1]], next[2]],
});
const throttledAxiosPostEvents = (url: string | URL, events: readonly unknown[], options?: Parameters<typeof axios.post>[2]) => throttledAxiosPostEventsMerged(url, [...events], options);
const throttledAxiosPutStatus = updateThrottle.wrap((url: string, status: unknown, config?: Parameters<typeof axios.put>[2]) => axios.put(url, status, config), { key: (...args) => String(args[0]) });

// Updates posted straight with axios, the buffer cleared with length = 0.
export async function processCampaign(campaign: { id: string; recipients: string[] }, base: string): Promise<void> {
  const events: Array<{ recipientId: string; outcome: 'sent'; at: string }> = [];
  for (const recipient of campaign.recipients) {
    events.push({ recipientId: recipient, outcome: 'sent', at: new Date().toISOString() });
    if (events.length >= 50) {
      await throttledAxiosPostEvents(`${base}/api/campaigns/${campaign.id}/events`, events, { headers: { 'x-worker': 'w1' } });
      events.length = 0;
    }
  }
  await throttledAxiosPostEvents(`${base}/api/campaigns/${campaign.id}/events`, events);
  const total = campaign.recipients.length;
  await updateThrottle.flush();
  await throttledAxiosPutStatus(`${base}/api/campaigns/${campaign.id}/status`, { state: 'completed', sent: total, failed: 0, total });
}
