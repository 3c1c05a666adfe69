'use strict';
const { postEvents, updateStatus } = require('./api');

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function processCampaign(campaign, deps) {
  const { transporter, serverUrl, recipients, render } = deps;
  let buffer = [];
  let sent = 0;
  let failed = 0;
  const total = recipients.length;
  await updateStatus(serverUrl, campaign.id, { state: 'running', sent, failed, total });
  for (const recipient of recipients) {
    const html = await render(campaign, recipient); // a broken template throws: the campaign fails
    try {
      await transporter.sendMail({ to: recipient.email, html });
      sent++;
      buffer.push({ recipientId: recipient.id, outcome: 'sent', at: new Date().toISOString() });
    } catch (err) {
      failed++;
      buffer.push({ recipientId: recipient.id, outcome: 'failed', at: new Date().toISOString() });
    }
    if (buffer.length >= 50) {
      await postEvents(serverUrl, campaign.id, buffer);
      buffer = [];
    }
    await sleep(60000 / campaign.emailsPerMinute);
  }
  await postEvents(serverUrl, campaign.id, buffer);
  await updateStatus(serverUrl, campaign.id, { state: 'completed', sent, failed, total });
}

// The worker's main loop: a campaign that throws is marked failed.
async function runAll(campaigns, deps) {
  for (const campaign of campaigns) {
    try {
      await processCampaign(campaign, deps);
    } catch (err) {
      await updateStatus(deps.serverUrl, campaign.id, { state: 'failed', sent: 0, failed: 0, total: deps.recipients.length });
    }
  }
}

module.exports = { processCampaign, runAll };
