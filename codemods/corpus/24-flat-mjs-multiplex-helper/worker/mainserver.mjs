import { config } from './config.mjs';

const ROUTES = {
  events: { method: 'POST', path: 'events' },
  status: { method: 'PUT', path: 'status' },
};

/** One door to the main server: sendUpdate(id, 'events', { events }) or sendUpdate(id, 'status', status). */
export async function sendUpdate(campaignId, kind, payload) {
  const route = ROUTES[kind];
  if (!route) throw new Error(`unknown update kind ${kind}`);
  const url = `${config.mainServerUrl}/api/campaigns/${campaignId}/${route.path}`;
  for (let i = 0; i < 3; i++) {
    try {
      const res = await fetch(url, { method: route.method, headers: { 'content-type': 'application/json' }, body: JSON.stringify(payload) });
      if (res.ok) return true;
    } catch {}
  }
  console.warn(`sendUpdate ${kind} for ${campaignId} failed 3 times`);
  return false;
}
