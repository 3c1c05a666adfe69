'use strict';

const { postEvents, updateStatus, fetchRecipients } = require('./api');

const { createThrottle } = require('@scope/throttle');

// Phase 1 hotfix: every server update goes through one throttle: at most one every 15 s, none lost.
const updateThrottle = createThrottle({ minIntervalMs: 15000 });
const throttledPostEventsMerged = updateThrottle.wrap(postEvents, {
  key: (...args) => args[1],
  merge: ([, , previous2], [next0, next1, next2]) => [next0, next1, [...previous2, ...next2]],
});
const throttledPostEvents = (...args) =>
  throttledPostEventsMerged(...(args.map((arg, i) => (i === 2 ? [...arg] : arg))));
const throttledUpdateStatus = updateThrottle.wrap(updateStatus, { key: (...args) => args[1] });

const BATCH_SIZE = 50;
const STATUS_INTERVAL = 60 * 1000;

function sleep(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

// Sends one campaign at its pace and keeps the main server up to date.
async function processCampaign(campaign, deps) {
  const { transporter, serverUrl } = deps;
  const recipients = deps.recipients || (await fetchRecipients(serverUrl, campaign.id));
  const delay = 60000 / campaign.emailsPerMinute;
  const total = recipients.length;

  let buffer = [];
  let sent = 0;
  let failed = 0;
  let seq = 0;
  let flushTimer = null;

  const status = (state) => ({ state, sent, failed, total, seq: ++seq, updatedAt: new Date().toISOString() });

  async function flushBuffer() {
    if (flushTimer) {
      clearTimeout(flushTimer);
      flushTimer = null;
    }
    if (buffer.length === 0) return;
    const events = buffer;
    buffer = [];
    await throttledPostEvents(serverUrl, campaign.id, events);
  }

  // Post whatever is buffered within 10-25 seconds, so the dashboard never lags too far behind.
  function scheduleFlush() {
    if (flushTimer) return;
    const wait = 10000 + Math.floor(Math.random() * 15000);
    flushTimer = setTimeout(() => {
      flushTimer = null;
      flushBuffer();
    }, wait);
  }

  // Progress every minute, whatever happens.
  const statusTimer = setInterval(() => {
    throttledUpdateStatus(serverUrl, campaign.id, status('running'));
  }, STATUS_INTERVAL);

  await throttledUpdateStatus(serverUrl, campaign.id, status('running'));

  for (const recipient of recipients) {
    try {
      const info = await transporter.sendMail({
        from: campaign.from,
        to: recipient.email,
        subject: campaign.subject,
        text: campaign.body,
      });
      buffer.push({
        recipientId: recipient.id,
        email: recipient.email,
        outcome: 'sent',
        at: new Date().toISOString(),
        messageId: info.messageId,
      });
      sent++;
    } catch (err) {
      buffer.push({
        recipientId: recipient.id,
        email: recipient.email,
        outcome: err.responseCode >= 500 ? 'bounced' : 'failed',
        at: new Date().toISOString(),
        error: err.message,
      });
      failed++;
    }

    if (buffer.length >= BATCH_SIZE) {
      await flushBuffer();
    } else {
      scheduleFlush();
    }

    if ((sent + failed) % campaign.emailsPerMinute === 0) {
      await throttledUpdateStatus(serverUrl, campaign.id, status('running'));
    }

    await sleep(delay);
  }

  clearInterval(statusTimer);
  await flushBuffer();
  await updateThrottle.flush();
  await throttledUpdateStatus(serverUrl, campaign.id, status('completed'));
  return { sent, failed, total };
}

module.exports = { processCampaign };
