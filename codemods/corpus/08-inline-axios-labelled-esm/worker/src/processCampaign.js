import axios from 'axios';
import { isSuppressed } from './suppression.js';

const CHUNK = 10;
const FLUSH_SIZE = 25;

function chunk(list, size) {
  const out = [];
  for (let i = 0; i < list.length; i += size) out.push(list.slice(i, i + size));
  return out;
}

export async function processCampaign(campaign, recipients, { mailer, apiUrl, shouldStop = () => false }) {
  const eventsUrl = `${apiUrl}/api/campaigns/${campaign.id}/events`;
  const statusUrl = `${apiUrl}/api/campaigns/${campaign.id}/status`;
  const msPerEmail = 60000 / campaign.emailsPerMinute;
  let buf = [];
  let sent = 0;
  let failed = 0;
  let seq = 1;
  let timer;

  const flush = async () => {
    clearTimeout(timer);
    timer = undefined;
    if (!buf.length) return;
    const events = buf;
    buf = [];
    try {
      await axios.post(eventsUrl, { events });
    } catch (e) {
      // one more go, then forget it
      await axios.post(eventsUrl, { events }).catch((e2) => console.error('events lost', e2.message));
    }
  };

  const status = async (state) => {
    const body = { state, sent, failed, total: recipients.length, seq: seq++, updatedAt: new Date().toISOString() };
    await axios.put(statusUrl, body).catch(() => axios.put(statusUrl, { ...body, seq: seq++ }).catch(() => {}));
  };

  await status('running');

  chunks: for (const group of chunk(recipients, CHUNK)) {
    for (const r of group) {
      if (shouldStop()) break chunks;
      if (isSuppressed(r.email)) {
        buf.push({ recipientId: r.id, email: r.email, outcome: 'skipped', at: new Date().toISOString() });
        continue;
      }
      try {
        const res = await mailer.sendMail({ from: campaign.from, to: r.email, subject: campaign.subject, text: campaign.body });
        sent++;
        buf.push({ recipientId: r.id, email: r.email, outcome: 'sent', at: new Date().toISOString(), messageId: res.messageId });
      } catch (err) {
        failed++;
        buf.push({ recipientId: r.id, email: r.email, outcome: 'failed', at: new Date().toISOString(), error: err.message });
      }
      if (buf.length >= FLUSH_SIZE) await flush();
      else if (!timer) timer = setTimeout(flush, 10000 + Math.random() * 15000);
      await new Promise((ok) => setTimeout(ok, msPerEmail));
    }
    // a status per chunk keeps the progress bar moving
    await status('running');
  }

  await flush();
  await status(shouldStop() ? 'cancelled' : 'completed');
  return { sent, failed };
}
