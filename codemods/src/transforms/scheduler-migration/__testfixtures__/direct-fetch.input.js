// Updates posted straight with fetch, the buffer cleared by reassignment.
const BATCH = 50;

async function processCampaign(campaign, deps) {
  let events = [];
  let sent = 0;
  for (const recipient of campaign.recipients) {
    await deps.transporter.sendMail({ to: recipient.email });
    sent++;
    events.push({ recipientId: recipient.id, outcome: 'sent', at: new Date().toISOString() });
    if (events.length >= BATCH) {
      await fetch(`${deps.serverUrl}/api/campaigns/${campaign.id}/events`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ events }),
      });
      events = [];
    }
  }
  await fetch(`${deps.serverUrl}/api/campaigns/${campaign.id}/events`, { method: 'POST', body: JSON.stringify({ events: events }) });
  await fetch(`${deps.serverUrl}/api/campaigns/${campaign.id}/status`, {
    method: 'PUT',
    body: JSON.stringify({ state: 'completed', sent, total: campaign.recipients.length }),
  });
}

module.exports = { processCampaign };
