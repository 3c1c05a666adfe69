'use strict';

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function processCampaign(campaign, deps) {
  const { transporter, serverUrl, recipients } = deps;
  const eventsUrl = `${serverUrl}/api/campaigns/${campaign.id}/events`;
  const statusUrl = `${serverUrl}/api/campaigns/${campaign.id}/status`;
  let buffer = [];
  let sent = 0;
  let failed = 0;
  const flush = async () => {
    if (buffer.length === 0) return;
    const events = buffer;
    buffer = [];
    await fetch(eventsUrl, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ events }) });
  };
  for (const recipient of recipients) {
    try {
      await transporter.sendMail({ to: recipient.email });
      sent++;
      buffer.push({ recipientId: recipient.id, outcome: 'sent', at: new Date().toISOString() });
    } catch (err) {
      failed++;
      buffer.push({ recipientId: recipient.id, outcome: 'failed', at: new Date().toISOString() });
    }
    if (buffer.length >= 50) await flush();
    await sleep(60000 / campaign.emailsPerMinute);
  }
  await flush();
  await fetch(statusUrl, {
    method: 'PUT',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ state: 'completed', sent, failed, total: recipients.length }),
  });
}

module.exports = { processCampaign };
