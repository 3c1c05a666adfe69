import axios from 'axios';

// ---- module state (one campaign at a time per process) ----
let http = null;
let outbox = [];
let currentId = null;
let seq = 0;
const stats = { sent: 0, failed: 0, total: 0 };

const OUTBOX_LIMIT = 50;

function client(baseURL) {
  if (!http) http = axios.create({ baseURL, headers: { 'x-client': 'outbox-worker' } });
  return http;
}

async function flushOutbox() {
  if (outbox.length === 0) return;
  const events = outbox;
  outbox = [];
  for (let i = 0; i < 3; i++) {
    try {
      await http.post(`/api/campaigns/${currentId}/events`, { events });
      return;
    } catch (err) {
      console.warn(`flushOutbox try ${i + 1}: ${err.message}`);
    }
  }
}

async function sendStatus(state) {
  seq++;
  try {
    await http.put(`/api/campaigns/${currentId}/status`, { state, ...stats, seq, updatedAt: new Date().toISOString() });
  } catch (err) {
    console.warn(`sendStatus: ${err.message}`);
  }
}

const processCampaign = async function (campaign, opts) {
  client(opts.serverUrl);
  currentId = campaign.id;
  stats.sent = 0;
  stats.failed = 0;
  stats.total = opts.recipients.length;
  await sendStatus('running');

  const flusher = setInterval(flushOutbox, 15000);
  const reporter = setInterval(() => sendStatus('running'), 60000);

  for (const r of opts.recipients) {
    try {
      const info = await opts.transport.sendMail({ from: campaign.from, to: r.email, subject: campaign.subject, text: campaign.body });
      stats.sent++;
      outbox.push({ recipientId: r.id, email: r.email, outcome: 'sent', at: new Date().toISOString(), messageId: info.messageId });
    } catch (err) {
      stats.failed++;
      outbox.push({ recipientId: r.id, email: r.email, outcome: 'failed', at: new Date().toISOString(), error: err.message });
    }
    if (outbox.length >= OUTBOX_LIMIT) await flushOutbox();
    await new Promise((resolve) => setTimeout(resolve, 60000 / campaign.emailsPerMinute));
  }

  clearInterval(flusher);
  clearInterval(reporter);
  await flushOutbox();
  await sendStatus('completed');
  return { ...stats };
};

export default { processCampaign };
