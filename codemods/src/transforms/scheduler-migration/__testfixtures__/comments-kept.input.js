'use strict';
const { postEvents, updateStatus } = require('./api');

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/**
 * Sends one campaign.
 * @param {object} campaign
 */
async function processCampaign(campaign, deps) {
  const { transporter, serverUrl, recipients } = deps;

  // Outcomes waiting to be posted.
  let buffer = [];

  let sent = 0; // delivered
  let failed = 0; // not delivered

  for (const recipient of recipients) {
    // 1. send
    try {
      await transporter.sendMail({ to: recipient.email });
      sent++;
      // Record the success (the server dedupes on recipientId).
      buffer.push({
        recipientId: recipient.id, // server-side id
        outcome: 'sent',
        at: new Date().toISOString(),
      }); // keep in order
    } catch (err) {
      failed++;
      /* a permanent failure is a bounce */
      buffer.push({ recipientId: recipient.id, outcome: err.responseCode >= 500 ? 'bounced' : 'failed', at: new Date().toISOString() });
    }

    // 2. report
    if (buffer.length >= 50) {
      await postEvents(serverUrl, campaign.id, buffer);
      buffer = [];
    }

    // 3. pace
    await sleep(60000 / campaign.emailsPerMinute);
  }

  // Last batch.
  await postEvents(serverUrl, campaign.id, buffer);

  // Final status: the dashboard reads "completed" from here.
  await updateStatus(serverUrl, campaign.id, { state: 'completed', sent, failed, total: recipients.length });
}

module.exports = { processCampaign };
