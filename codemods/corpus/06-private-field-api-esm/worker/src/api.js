// Main server API. Every call is retried twice, right away, then we move on.
async function call(method, url, payload) {
  for (let tries = 0; tries < 3; tries++) {
    try {
      const res = await fetch(url, {
        method,
        headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
        body: JSON.stringify(payload),
      });
      if (res.status < 300) return true;
    } catch {
      // network blip, try again
    }
  }
  return false;
}

export function createApi(baseUrl) {
  return {
    postEvents: (campaignId, events) => call('POST', `${baseUrl}/api/campaigns/${campaignId}/events`, { events }),
    putStatus: (campaignId, status) => call('PUT', `${baseUrl}/api/campaigns/${campaignId}/status`, status),
  };
}
