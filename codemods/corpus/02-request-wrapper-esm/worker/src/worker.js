import { request } from './http.js';

const FLUSH_AT = 40; // events
const STATUS_EVERY = 20_000; // ms

/**
 * Runs one drip campaign.
 * @param {{ id: string, emailsPerMinute: number, from: string, subject: string, body: string, recipients: Array<{id: string, email: string, name?: string}> }} campaign
 * @param {{ mailer: { sendMail(msg: object): Promise<{ messageId: string }> }, config: { apiBase: string } }} ctx
 */
export const processCampaign = async (campaign, { mailer, config }) => {
  const base = `${config.apiBase}/api/campaigns/${encodeURIComponent(campaign.id)}`;
  const list = campaign.recipients;
  const gap = 60_000 / campaign.emailsPerMinute;
  const buffer = [];
  const counts = { sent: 0, failed: 0 };
  let seq = 0;
  let done = false;
  let statusTimer;
  let lastFlush = Date.now();
  let flushWindow = 10_000 + Math.random() * 15_000;

  const sendStatus = (state) =>
    request('PUT', `${base}/status`, {
      state,
      sent: counts.sent,
      failed: counts.failed,
      total: list.length,
      seq: ++seq,
      updatedAt: new Date().toISOString(),
    });

  const flush = async () => {
    if (!buffer.length) return;
    const events = buffer.slice();
    buffer.length = 0;
    lastFlush = Date.now();
    flushWindow = 10_000 + Math.random() * 15_000;
    await request('POST', `${base}/events`, { events });
  };

  // re-arm after each tick so a slow request never stacks two status calls
  const tick = async () => {
    await sendStatus('running');
    if (!done) statusTimer = setTimeout(tick, STATUS_EVERY);
  };
  statusTimer = setTimeout(tick, STATUS_EVERY);

  for (let i = 0; i < list.length; i++) {
    const rcpt = list[i];
    const to = rcpt.name ? `${rcpt.name} <${rcpt.email}>` : rcpt.email;
    try {
      const { messageId } = await mailer.sendMail({ from: campaign.from, to, subject: campaign.subject, text: campaign.body });
      counts.sent += 1;
      buffer.push({ recipientId: rcpt.id, email: rcpt.email, outcome: 'sent', at: new Date().toISOString(), messageId });
    } catch (e) {
      counts.failed += 1;
      buffer.push({ recipientId: rcpt.id, email: rcpt.email, outcome: 'failed', at: new Date().toISOString(), error: e.message });
    }

    if (buffer.length >= FLUSH_AT || Date.now() - lastFlush >= flushWindow) {
      await flush();
    }
    if (i < list.length - 1) await new Promise((r) => setTimeout(r, gap));
  }

  done = true;
  clearTimeout(statusTimer);
  await flush();
  await sendStatus('completed');
  return counts;
};
