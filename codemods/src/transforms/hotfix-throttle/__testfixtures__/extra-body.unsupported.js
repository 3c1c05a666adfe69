// The events travel with other fields in the body: rebuilding the request could drop them, so it is left alone.
async function report(serverUrl, campaignId, events, workerId) {
  await fetch(`${serverUrl}/api/campaigns/${campaignId}/events`, { method: 'POST', body: JSON.stringify({ events, workerId }) });
}

module.exports = { report };
