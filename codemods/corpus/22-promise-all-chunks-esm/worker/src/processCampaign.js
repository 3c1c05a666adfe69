import { waves } from './waves.js';

const WAVE = 5;
const SYNC_EVERY_EVENTS = 20;
const SYNC_EVERY_MS = 15000;

export async function processCampaign(campaign, recipients, { smtp, server }) {
  const spacing = 60000 / campaign.emailsPerMinute;
  let buffered = [];
  const counters = { sent: 0, failed: 0 };
  let seq = 0;
  let lastSync = Date.now();

  async function sync(state) {
    const events = buffered;
    buffered = [];
    lastSync = Date.now();
    if (events.length > 0) {
      for (let i = 0; i < 3; i++) {
        const ok = await fetch(`${server}/api/campaigns/${campaign.id}/events`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ events }),
        }).then((r) => r.ok, () => false);
        if (ok) break;
      }
    }
    const status = { state, ...counters, total: recipients.length, seq: ++seq, updatedAt: new Date().toISOString() };
    await fetch(`${server}/api/campaigns/${campaign.id}/status`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(status),
    }).catch((err) => console.error('status failed', err.message));
  }

  async function sendOne(r) {
    try {
      const info = await smtp.sendMail({ from: campaign.from, to: r.email, subject: campaign.subject, text: campaign.body });
      counters.sent++;
      buffered.push({ recipientId: r.id, email: r.email, outcome: 'sent', at: new Date().toISOString(), messageId: info.messageId });
    } catch (err) {
      counters.failed++;
      buffered.push({ recipientId: r.id, email: r.email, outcome: 'failed', at: new Date().toISOString(), error: err.message });
    }
  }

  for (const wave of waves(recipients, WAVE)) {
    await Promise.all(wave.map(sendOne));
    if (buffered.length >= SYNC_EVERY_EVENTS || Date.now() - lastSync >= SYNC_EVERY_MS) await sync('running');
    await new Promise((resolve) => setTimeout(resolve, spacing * wave.length));
  }

  await sync('completed');
  return counters;
}
