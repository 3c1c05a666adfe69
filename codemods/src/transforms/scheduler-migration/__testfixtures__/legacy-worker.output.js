'use strict';

const { fetchRecipients } = require('./api');

const { createHttpTransport, ServerUpdateScheduler } = require('@scope/scheduler');

// Phase 2: one scheduler per process reports every campaign: batched, spaced, retried, nothing lost.
let sharedScheduler;
function updateScheduler(baseUrl) {
  sharedScheduler ??= new ServerUpdateScheduler({ transport: createHttpTransport({ baseUrl: String(baseUrl), shape: 'legacy' }) });
  return sharedScheduler;
}
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

  let sent = 0;
  let failed = 0;
  let seq = 0;

  const status = (state) => ({ state, sent, failed, total, seq: ++seq, updatedAt: new Date().toISOString() });

  const scheduler = updateScheduler(serverUrl);
  scheduler.registerCampaign(campaign.id, { emailsPerMinute: campaign.emailsPerMinute });

  // Progress every minute, whatever happens.
  const statusTimer = setInterval(() => {
    scheduler.setStatus(campaign.id, status('running'));
  }, STATUS_INTERVAL);

  scheduler.setStatus(campaign.id, status('running'));
  // The original per-recipient work; its outcomes go to the scheduler.
  const processSingleRecipientOptimized = async (recipient, ctx) => {
    try {
      const info = await transporter.sendMail({
        from: campaign.from,
        to: recipient.email,
        subject: campaign.subject,
        text: campaign.body,
      });
      await ctx.scheduler.record(ctx.campaignId, {
        recipientId: recipient.id,
        email: recipient.email,
        outcome: 'sent',
        at: new Date().toISOString(),
        messageId: info.messageId,
      });
      sent++;
    } catch (err) {
      await ctx.scheduler.record(ctx.campaignId, {
        recipientId: recipient.id,
        email: recipient.email,
        outcome: err.responseCode >= 500 ? 'bounced' : 'failed',
        at: new Date().toISOString(),
        error: err.message,
      });
      failed++;
    }

    if ((sent + failed) % campaign.emailsPerMinute === 0) {
      ctx.scheduler.setStatus(ctx.campaignId, status('running'));
    }
  };

  for (const recipient of recipients) {
    await processSingleRecipientOptimized(recipient, { scheduler, campaignId: campaign.id });

    await sleep(delay);
  }

  clearInterval(statusTimer);
  scheduler.setStatus(campaign.id, status('completed'));
  await scheduler.flush(campaign.id);
  return { sent, failed, total };
}

module.exports = { processCampaign };
