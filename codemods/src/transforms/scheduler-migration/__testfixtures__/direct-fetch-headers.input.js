const TOKEN = process.env.WORKER_TOKEN;
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function processCampaign(campaign, deps) {
  let events = [];
  let sent = 0;
  for (const recipient of campaign.recipients) {
    await deps.transporter.sendMail({ to: recipient.email });
    sent++;
    events.push({ recipientId: recipient.id, outcome: 'sent', at: new Date().toISOString() });
    if (events.length >= 50) {
      await fetch(`${deps.serverUrl}/api/campaigns/${campaign.id}/events`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-worker-key': 'w-123', authorization: `Bearer ${TOKEN}` },
        body: JSON.stringify({ events }),
      });
      events = [];
    }
    await sleep(60000 / campaign.emailsPerMinute);
  }
  await fetch(`${deps.serverUrl}/api/campaigns/${campaign.id}/events`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-worker-key': 'w-123', authorization: `Bearer ${TOKEN}` },
    body: JSON.stringify({ events }),
  });
  await fetch(`${deps.serverUrl}/api/campaigns/${campaign.id}/status`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json', 'x-worker-key': 'w-123', authorization: `Bearer ${TOKEN}` },
    body: JSON.stringify({ state: 'completed', sent, failed: 0, total: campaign.recipients.length }),
  });
}

module.exports = { processCampaign };
