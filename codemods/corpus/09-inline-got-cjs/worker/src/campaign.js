'use strict';

const settings = require('./settings');

let gotModule; // got is ESM-only; cache the import

async function loadGot() {
  if (!gotModule) gotModule = (await import('got')).default;
  return gotModule;
}

const pause = (ms) => new Promise((r) => setTimeout(r, ms));

async function processCampaign(campaign, recipients, mailer) {
  const got = await loadGot();
  const root = settings.apiRoot;
  const flushEvery = Math.max(10, Math.floor(campaign.emailsPerMinute / 2));
  const everyMs = 60000 / campaign.emailsPerMinute;
  let outbox = [];
  let sent = 0;
  let failed = 0;
  let statusSeq = 0;
  let flushTimer = null;

  async function flushOutbox() {
    if (flushTimer) {
      clearTimeout(flushTimer);
      flushTimer = null;
    }
    if (outbox.length === 0) return;
    const events = outbox;
    outbox = [];
    for (let attempt = 0; attempt < 2; attempt++) {
      try {
        await got.post(`${root}/api/campaigns/${campaign.id}/events`, {
          json: { events },
          headers: { 'x-worker': settings.workerName },
          retry: { limit: 0 },
        });
        return;
      } catch (err) {
        console.warn('[got-worker] events attempt %d: %s', attempt + 1, err.message);
      }
    }
  }

  async function reportStatus(state) {
    statusSeq++;
    try {
      await got.put(`${root}/api/campaigns/${campaign.id}/status`, {
        json: { state, sent, failed, total: recipients.length, seq: statusSeq, updatedAt: new Date().toISOString() },
        headers: { 'x-worker': settings.workerName },
        retry: { limit: 0 },
      });
    } catch (err) {
      console.warn('[got-worker] status: %s', err.message);
    }
  }

  const statusTimer = setInterval(() => reportStatus('running'), 60000);

  for (let idx = 0; idx < recipients.length; idx++) {
    const rc = recipients[idx];
    try {
      const info = await mailer.sendMail({ from: campaign.from, to: rc.email, subject: campaign.subject, text: campaign.body });
      sent++;
      outbox.push({ recipientId: rc.id, email: rc.email, outcome: 'sent', at: new Date().toISOString(), messageId: info.messageId });
    } catch (err) {
      failed++;
      outbox.push({ recipientId: rc.id, email: rc.email, outcome: err.responseCode >= 500 ? 'bounced' : 'failed', at: new Date().toISOString(), error: err.message });
    }

    if (outbox.length >= flushEvery) {
      await flushOutbox();
    } else if (flushTimer === null) {
      flushTimer = setTimeout(flushOutbox, 10000 + Math.floor(Math.random() * 15000));
    }
    // status every emailsPerMinute emails as well
    if ((idx + 1) % campaign.emailsPerMinute === 0) await reportStatus('running');

    await pause(everyMs);
  }

  clearInterval(statusTimer);
  await flushOutbox();
  await reportStatus('completed');
  return { sent, failed };
}

module.exports = { processCampaign };
