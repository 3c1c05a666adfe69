'use strict';
const { sendOutcomes, reportStatus } = require('./api');
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function processCampaign(campaign, deps) {
  const { transporter, serverUrl, logger } = deps;
  let events = [];
  let sent = 0;
  const total = campaign.recipients.length;
  for (const recipient of campaign.recipients) {
    await transporter.sendMail({ to: recipient.email });
    sent++;
    events.push({ recipientId: recipient.id, outcome: 'sent', at: new Date().toISOString() });
    if (events.length >= 50) {
      try {
        await sendOutcomes(serverUrl, campaign.id, events);
        events = [];
      } catch (err) {
        logger.warn('events post failed, keeping them for next time', err);
      }
    }
    await sleep(60000 / campaign.emailsPerMinute);
  }
  try {
    await sendOutcomes(serverUrl, campaign.id, events);
    await reportStatus(serverUrl, campaign.id, { state: 'completed', sent, failed: 0, total });
  } catch (err) {
    logger.error('final update failed', err);
  }
}

module.exports = { processCampaign };
