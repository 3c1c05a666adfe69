import { makeApi } from './api.js';

const CONTROL_EVERY = 30;
const FLUSH_AT = 25;
const PAUSE_POLL_MS = 30_000;

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

export async function processCampaign(campaign, recipients, { serverUrl, mailer }) {
  const api = makeApi(serverUrl);
  let buf = [];
  let sent = 0;
  let failed = 0;
  let seq = 0;
  let cancelled = false;
  let windowTimer = null;
  const status = (state) => api.status(campaign.id, { state, sent, failed, total: recipients.length, seq: ++seq, updatedAt: new Date().toISOString() });
  const flush = async () => {
    clearTimeout(windowTimer);
    windowTimer = null;
    if (!buf.length) return;
    const events = buf;
    buf = [];
    await api.events(campaign.id, events);
  };

  await status('running');

  for (let i = 0; i < recipients.length; i++) {
    if (i > 0 && i % CONTROL_EVERY === 0) {
      const current = await api.campaign(campaign.id);
      let state = current?.state;
      while (state === 'paused') {
        await flush();
        await status('paused');
        await sleep(PAUSE_POLL_MS);
        state = (await api.campaign(campaign.id))?.state;
      }
      if (state === 'cancelled') {
        cancelled = true;
        break;
      }
    }

    const r = recipients[i];
    try {
      const info = await mailer.sendMail({ from: campaign.from, to: r.email, subject: campaign.subject, text: campaign.body });
      sent++;
      buf.push({ recipientId: r.id, email: r.email, outcome: 'sent', at: new Date().toISOString(), messageId: info.messageId });
    } catch (err) {
      failed++;
      let outcome;
      switch (Math.floor((err.responseCode ?? 0) / 100)) {
        case 5:
          outcome = 'bounced';
          break;
        default:
          outcome = 'failed';
      }
      buf.push({ recipientId: r.id, email: r.email, outcome, at: new Date().toISOString(), error: err.message });
    }

    if (buf.length >= FLUSH_AT) await flush();
    else if (!windowTimer) windowTimer = setTimeout(flush, 10_000 + Math.random() * 15_000);
    await sleep(60_000 / campaign.emailsPerMinute);
  }

  await flush();
  await status(cancelled ? 'cancelled' : 'completed');
  return { sent, failed, cancelled };
}
