// Main-server updates. Each helper logs what it did so ops can grep for a campaign id.

async function attempt(method, url, body, tries = 3) {
  for (let n = 1; n <= tries; n++) {
    try {
      const res = await fetch(url, { method, headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
      if (res.ok) return true;
    } catch {
      // retry right away
    }
  }
  return false;
}

export async function postEvents(base, campaignId, events, onDone) {
  const ok = await attempt('POST', `${base}/api/campaigns/${campaignId}/events`, { events });
  console.info(`[updates] ${campaignId}: ${events.length} events ${ok ? 'posted' : 'LOST'}`);
  if (typeof onDone === 'function') onDone(ok ? null : new Error('events not delivered'), events.length);
  return { ok, count: ok ? events.length : 0 };
}

export async function updateStatus(base, campaignId, status) {
  const ok = await attempt('PUT', `${base}/api/campaigns/${campaignId}/status`, status);
  console.info(`[updates] ${campaignId}: status ${status.state} #${status.seq} ${ok ? 'ok' : 'failed'}`);
  return ok;
}
