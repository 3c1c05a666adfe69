// A TypeScript ES module posting straight with fetch.
import { createThrottle } from '@scope/throttle';

// Phase 1 hotfix: every server update goes through one throttle: at most one every 15 s, none lost.
const updateThrottle = createThrottle({ minIntervalMs: 15000 });
const throttledFetchEventsMerged = updateThrottle.wrap((url: string | URL, events: readonly unknown[], init?: RequestInit) => fetch(url, { ...init, body: JSON.stringify({ events }) }), {
  key: (...args) => String(args[0]),
  merge: (previous, next) => [next[0], [...previous[1], ...next[1]], next[2]],
});
const throttledFetchEvents = (url: string | URL, events: readonly unknown[], options?: RequestInit) => throttledFetchEventsMerged(url, [...events], options);
export async function processCampaign(campaign: { id: string }, events: unknown[], serverUrl: string): Promise<void> {
  await throttledFetchEvents(`${serverUrl}/api/campaigns/${campaign.id}/events`, events, { method: 'POST' });
}
