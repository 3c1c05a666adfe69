'use strict';
const api = require('./api');

function sleep(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

async function processCampaign(campaign, deps) {
  const { transporter, serverUrl, recipients, log } = deps;
  let buffer = [];
  let sent = 0;
  let failed = 0;
  let acknowledged = 0;
  for (const recipient of recipients) {
    try {
      await transporter.sendMail({ to: recipient.email });
      sent++;
      buffer.push({ recipientId: recipient.id, outcome: 'sent', at: new Date().toISOString() });
    } catch (err) {
      failed++;
      buffer.push({ recipientId: recipient.id, outcome: 'bounced', at: new Date().toISOString() });
    }
    if (buffer.length >= 10) {
      const events = buffer;
      buffer = [];
      await api.postEvents(serverUrl, campaign.id, events).then((ok) => {
        if (ok) acknowledged += events.length;
        else log.warn('events dropped');
      });
    }
    await sleep(60000 / campaign.emailsPerMinute);
  }
  await api.postEvents(serverUrl, campaign.id, buffer).then((ok) => {
    if (ok) acknowledged += buffer.length;
  });
  await api
    .updateStatus(serverUrl, campaign.id, { state: 'completed', sent, failed, total: recipients.length })
    .then(() => log.info(`campaign ${campaign.id} done`));
  return { sent, failed, acknowledged };
}

module.exports = { processCampaign };
