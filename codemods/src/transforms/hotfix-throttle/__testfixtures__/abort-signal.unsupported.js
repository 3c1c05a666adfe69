'use strict';
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function processCampaign(campaign, deps) {
  const { transporter, serverUrl, recipients } = deps;
  let buffer = [];
  let sent = 0;
  let failed = 0;
  const total = recipients.length;
  const base = `${serverUrl}/api/campaigns/${campaign.id}`;
  for (const recipient of recipients) {
    try {
      await transporter.sendMail({ to: recipient.email, subject: campaign.subject });
      buffer.push({ recipientId: recipient.id, outcome: 'sent', at: new Date().toISOString() });
      sent++;
    } catch (err) {
      buffer.push({ recipientId: recipient.id, outcome: 'failed', at: new Date().toISOString() });
      failed++;
    }
    if (buffer.length >= 5) {
      await fetch(`${serverUrl}/api/campaigns/${campaign.id}/events`, {
        method: 'POST',
        keepalive: true,
        signal: AbortSignal.timeout(5000),
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ events: buffer }),
      }).catch((err) => console.warn('events lost', err.message));
      buffer = [];
      await fetch(`${serverUrl}/api/campaigns/${campaign.id}/status`, {
        method: 'PUT',
        keepalive: true,
        signal: AbortSignal.timeout(5000),
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ state: 'running', sent, failed, total }),
      }).catch((err) => console.warn('status lost', err.message));
    }
    await sleep(60000 / campaign.emailsPerMinute);
  }
  await fetch(`${serverUrl}/api/campaigns/${campaign.id}/events`, {
    method: 'POST',
    keepalive: true,
    signal: AbortSignal.timeout(5000),
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ events: buffer }),
  });
  buffer = [];
  await fetch(`${serverUrl}/api/campaigns/${campaign.id}/status`, {
    method: 'PUT',
    keepalive: true,
    signal: AbortSignal.timeout(5000),
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ state: 'completed', sent, failed, total }),
  });
}
module.exports = { processCampaign };
