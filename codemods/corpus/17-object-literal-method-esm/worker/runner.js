import { postJson } from './http.js';

const FLUSH_SIZE = 25;
const FLUSH_AGE_MS = 20_000;

export default {
  pending: [],
  seq: 0,
  lastFlushAt: 0,

  async processCampaign(campaign, ctx) {
    const { recipients, mailer } = ctx;
    const counters = { sent: 0, failed: 0, total: recipients.length };
    this.pending = [];
    this.lastFlushAt = Date.now();
    await this.report(ctx, campaign, 'running', counters);
    const statusTimer = setInterval(() => this.report(ctx, campaign, 'running', counters), 60_000);

    for (const r of recipients) {
      try {
        const { messageId } = await mailer.sendMail({ from: campaign.from, to: r.email, subject: campaign.subject, text: campaign.body });
        counters.sent++;
        this.pending.push({ recipientId: r.id, email: r.email, outcome: 'sent', at: new Date().toISOString(), messageId });
      } catch (err) {
        counters.failed++;
        this.pending.push({ recipientId: r.id, email: r.email, outcome: 'failed', at: new Date().toISOString(), error: err.message });
      }
      if (this.pending.length >= FLUSH_SIZE || Date.now() - this.lastFlushAt >= FLUSH_AGE_MS) {
        await this.flush(ctx, campaign);
      }
      await new Promise((done) => setTimeout(done, 60_000 / campaign.emailsPerMinute));
    }

    clearInterval(statusTimer);
    await this.flush(ctx, campaign);
    await this.report(ctx, campaign, 'completed', counters);
    return counters;
  },

  async flush(ctx, campaign) {
    this.lastFlushAt = Date.now();
    if (this.pending.length === 0) return;
    const events = this.pending;
    this.pending = [];
    await postJson(`${ctx.serverUrl}/api/campaigns/${campaign.id}/events`, { events });
  },

  async report(ctx, campaign, state, { sent, failed, total }) {
    this.seq += 1;
    await postJson(
      `${ctx.serverUrl}/api/campaigns/${campaign.id}/status`,
      { state, sent, failed, total, seq: this.seq, updatedAt: new Date().toISOString() },
      { method: 'PUT' },
    );
  },
};
