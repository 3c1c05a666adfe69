'use strict';

const { reportEvents, reportStatus } = require('./reportingClient');

const SYNC_EVERY = 25;

async function processCampaign(campaign, recipients, mailer) {
  let pending = [];
  let sent = 0;
  let failed = 0;
  let seq = 0;
  const gapMs = 60000 / campaign.emailsPerMinute;
  const snapshot = (state) => ({ state, sent, failed, total: recipients.length, seq: ++seq, updatedAt: new Date().toISOString() });

  const sync = (state) => {
    const events = pending;
    pending = [];
    const jobs = [reportStatus(campaign.id, snapshot(state))];
    if (events.length) jobs.unshift(reportEvents(campaign.id, events));
    return Promise.all(jobs);
  };

  const heartbeat = setInterval(() => reportStatus(campaign.id, snapshot('running')), 20000);

  for (const r of recipients) {
    try {
      const res = await mailer.sendMail({ from: campaign.from, to: r.email, subject: campaign.subject, text: campaign.body });
      sent += 1;
      pending.push({ recipientId: r.id, email: r.email, outcome: 'sent', at: new Date().toISOString(), messageId: res.messageId });
    } catch (err) {
      failed += 1;
      pending.push({ recipientId: r.id, email: r.email, outcome: 'failed', at: new Date().toISOString(), error: err.message });
    }
    if (pending.length >= SYNC_EVERY) await sync('running');
    await new Promise((resolve) => setTimeout(resolve, gapMs));
  }

  clearInterval(heartbeat);
  await sync('completed');
  return { sent, failed };
}

module.exports.processCampaign = processCampaign;
