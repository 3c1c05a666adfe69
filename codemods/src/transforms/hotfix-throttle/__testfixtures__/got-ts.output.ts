import got from 'got';

import { createThrottle } from '@scope/throttle';

// Phase 1 hotfix: every server update goes through one throttle: at most one every 15 s, none lost.
const updateThrottle = createThrottle({ minIntervalMs: 15000 });
const throttledGotPostEventsMerged = updateThrottle.wrap((url: string | URL, events: readonly unknown[], options?: Record<string, unknown>) => got.post(url, { ...options, json: { events } }), {
  key: (...args) => String(args[0]),
  merge: (previous, next) => [next[0], [...previous[1], ...next[1]], next[2]],
});
const throttledGotPostEvents = (url: string | URL, events: readonly unknown[], options?: Record<string, unknown>) => throttledGotPostEventsMerged(url, [...events], options);
const throttledGotPutStatus = updateThrottle.wrap((url: string | URL, options?: Record<string, unknown>) => got.put(url, options), { key: (...args) => String(args[0]) });

// Updates posted straight with got, the buffer cleared with splice.
export async function processCampaign(campaign: { id: string; recipients: string[] }, base: string): Promise<void> {
  const events: Array<{ recipientId: string; outcome: 'sent'; at: string }> = [];
  for (const recipient of campaign.recipients) {
    events.push({ recipientId: recipient, outcome: 'sent', at: new Date().toISOString() });
    if (events.length >= 50) {
      await throttledGotPostEvents(`${base}/api/campaigns/${campaign.id}/events`, events, { timeout: { request: 5000 } });
      events.splice(0, events.length);
    }
  }
  await throttledGotPostEvents(`${base}/api/campaigns/${campaign.id}/events`, events, {  });
  const total = campaign.recipients.length;
  await updateThrottle.flush();
  await throttledGotPutStatus(`${base}/api/campaigns/${campaign.id}/status`, { json: { state: 'completed', sent: total, failed: 0, total } });
}
