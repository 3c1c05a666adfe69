import { createApi } from './api.js';

const FLUSH_AFTER_MS = 15_000;
const STATUS_AFTER_MS = 30_000;

export class Sender {
  #api;
  #mail;
  #outbox = [];
  #seq = 0;

  constructor({ baseUrl, mail }) {
    this.#api = createApi(baseUrl);
    this.#mail = mail;
  }

  #status(state, c) {
    return { state, sent: c.sent, failed: c.failed, total: c.total, seq: ++this.#seq, updatedAt: new Date().toISOString() };
  }

  async processCampaign(campaign, recipients) {
    const c = { sent: 0, failed: 0, total: recipients.length };
    const step = 60000 / campaign.emailsPerMinute;
    let lastFlush = Date.now();
    let lastStatus = Date.now();
    let i = 0;

    await this.#api.putStatus(campaign.id, this.#status('running', c));

    if (recipients.length > 0) {
      do {
        const r = recipients[i];
        try {
          const info = await this.#mail.sendMail({ from: campaign.from, to: r.email, subject: campaign.subject, text: campaign.body });
          c.sent++;
          this.#outbox.push({ recipientId: r.id, email: r.email, outcome: 'sent', at: new Date().toISOString(), messageId: info.messageId });
        } catch (err) {
          c.failed++;
          this.#outbox.push({ recipientId: r.id, email: r.email, outcome: 'failed', at: new Date().toISOString(), error: String(err?.message ?? err) });
        }

        const now = Date.now();
        if (now - lastFlush >= FLUSH_AFTER_MS) {
          const events = this.#outbox.splice(0);
          await this.#api.postEvents(campaign.id, events);
          lastFlush = now;
        }
        if (now - lastStatus >= STATUS_AFTER_MS) {
          await this.#api.putStatus(campaign.id, this.#status('running', c));
          lastStatus = now;
        }

        i++;
        await new Promise((r2) => setTimeout(r2, step));
      } while (i < recipients.length);
    }

    // last bits
    if (this.#outbox.length) await this.#api.postEvents(campaign.id, this.#outbox.splice(0));
    await this.#api.putStatus(campaign.id, this.#status('completed', c));
    return c;
  }
}
