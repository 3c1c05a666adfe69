'use strict';

const apiClient = require('./apiClient');
const config = require('../config');

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

// Tries a request a few times in a row; gives up quietly so one bad request never kills a send.
async function withRetries(label, fn) {
  for (let attempt = 1; attempt <= config.maxAttempts; attempt++) {
    try {
      return await fn();
    } catch (err) {
      console.warn(`[campaign] ${label} attempt ${attempt} failed: ${err.message}`);
    }
  }
  console.error(`[campaign] ${label}: giving up`);
  return null;
}

async function processCampaign(campaign, transporter) {
  const recipients = campaign.recipients;
  const total = recipients.length;
  const pause = Math.round(60000 / campaign.emailsPerMinute);
  let events = [];
  let sent = 0;
  let failed = 0;
  let seq = 0;
  let windowTimer = null;

  const pushEvents = async () => {
    clearTimeout(windowTimer);
    windowTimer = null;
    if (events.length === 0) return;
    const batch = events;
    events = [];
    await withRetries('events', () => apiClient.post(`/api/campaigns/${campaign.id}/events`, { events: batch }));
  };

  const pushStatus = (state) =>
    withRetries('status', () =>
      apiClient.put(`/api/campaigns/${campaign.id}/status`, {
        state,
        sent,
        failed,
        total,
        seq: ++seq,
        updatedAt: new Date().toISOString(),
      }),
    );

  // The dashboard polls every ~30s anyway, so match it.
  const statusTimer = setInterval(() => pushStatus('running'), config.statusEveryMs);
  await pushStatus('running');

  for (const recipient of recipients) {
    try {
      const info = await transporter.sendMail({
        from: campaign.from,
        to: recipient.email,
        subject: campaign.subject,
        html: campaign.body,
      });
      sent++;
      events.push({ recipientId: recipient.id, email: recipient.email, outcome: 'sent', at: new Date().toISOString(), messageId: info.messageId });
    } catch (err) {
      failed++;
      const bounced = err.responseCode && err.responseCode >= 500;
      events.push({
        recipientId: recipient.id,
        email: recipient.email,
        outcome: bounced ? 'bounced' : 'failed',
        at: new Date().toISOString(),
        error: String(err.message || err),
      });
    }

    if (events.length >= config.batchSize) {
      await pushEvents();
    } else if (!windowTimer) {
      // somewhere between 10 and 25 seconds, so a fleet of workers doesn't post in lockstep
      windowTimer = setTimeout(pushEvents, 10000 + Math.random() * 15000);
    }

    await sleep(pause);
  }

  clearInterval(statusTimer);
  await pushEvents();
  await pushStatus('completed');
  console.log(`[campaign] ${campaign.id} done: ${sent} sent, ${failed} failed`);
  return { sent, failed };
}

module.exports = { processCampaign };
