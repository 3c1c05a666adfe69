import { postEvents, updateStatus } from './updates.js';

const FLUSH_AT = 30;

export async function processCampaign(campaign, recipients, { mailer, serverUrl, metrics }) {
  let buffer = [];
  let sent = 0;
  let failed = 0;
  let seq = 0;
  let windowTimer = null;
  const step = 60000 / campaign.emailsPerMinute;

  const statusNow = (state) => ({ state, sent, failed, total: recipients.length, seq: ++seq, updatedAt: new Date().toISOString() });

  async function flush() {
    if (windowTimer) clearTimeout(windowTimer);
    windowTimer = null;
    if (!buffer.length) return;
    const events = buffer;
    buffer = [];
    const result = await postEvents(serverUrl, campaign.id, events, (err, n) => {
      if (err) metrics.lostEvents += n;
    });
    metrics.postedEvents += result.count;
  }

  const progress = setInterval(async () => {
    const ok = await updateStatus(serverUrl, campaign.id, statusNow('running'));
    if (!ok) console.warn(`status for ${campaign.id} not accepted`);
  }, 40000);

  for (const recipient of recipients) {
    try {
      const info = await mailer.sendMail({ from: campaign.from, to: recipient.email, subject: campaign.subject, html: campaign.body });
      sent++;
      buffer.push({ recipientId: recipient.id, email: recipient.email, outcome: 'sent', at: new Date().toISOString(), messageId: info.messageId });
    } catch (err) {
      failed++;
      buffer.push({ recipientId: recipient.id, email: recipient.email, outcome: 'failed', at: new Date().toISOString(), error: err.message });
    }
    metrics.emails++;
    if (buffer.length >= FLUSH_AT) await flush();
    else if (!windowTimer) windowTimer = setTimeout(flush, 10000 + Math.random() * 15000);
    await new Promise((r) => setTimeout(r, step));
  }

  clearInterval(progress);
  await flush();
  const accepted = await updateStatus(serverUrl, campaign.id, statusNow('completed'));
  if (!accepted) console.warn(`final status for ${campaign.id} not accepted`);
  return { sent, failed, metrics };
}
