'use strict';

// Talks to the main server. Each update is tried a few times straight away; after that it is given up.

const MAX_ATTEMPTS = 3;

async function send(url, method, body) {
  for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
    try {
      const res = await fetch(url, {
        method,
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify(body),
      });
      if (res.ok) return true;
      console.warn(`[api] ${method} ${url} failed with ${res.status} (attempt ${attempt}/${MAX_ATTEMPTS})`);
    } catch (err) {
      console.warn(`[api] ${method} ${url} failed: ${err.message} (attempt ${attempt}/${MAX_ATTEMPTS})`);
    }
  }
  return false;
}

async function postEvents(serverUrl, campaignId, events) {
  const ok = await send(`${serverUrl}/api/campaigns/${campaignId}/events`, 'POST', { events });
  if (!ok) console.error(`[api] dropped ${events.length} events of campaign ${campaignId}`);
  return ok;
}

async function updateStatus(serverUrl, campaignId, status) {
  const ok = await send(`${serverUrl}/api/campaigns/${campaignId}/status`, 'PUT', status);
  if (!ok) console.error(`[api] dropped status update of campaign ${campaignId}`);
  return ok;
}

async function fetchCampaigns(serverUrl) {
  const res = await fetch(`${serverUrl}/api/campaigns?state=ready`);
  if (!res.ok) throw new Error(`GET /api/campaigns failed with ${res.status}`);
  const data = await res.json();
  return data.campaigns;
}

async function fetchRecipients(serverUrl, campaignId) {
  const recipients = [];
  let cursor = '';
  do {
    const res = await fetch(`${serverUrl}/api/campaigns/${campaignId}/recipients?cursor=${cursor}`);
    if (!res.ok) throw new Error(`GET recipients of ${campaignId} failed with ${res.status}`);
    const page = await res.json();
    recipients.push(...page.recipients);
    cursor = page.nextCursor;
  } while (cursor);
  return recipients;
}

module.exports = { postEvents, updateStatus, fetchCampaigns, fetchRecipients };
