'use strict';
const { postEvents, updateStatus } = require('./api');

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

class CampaignWorker {
  constructor(serverUrl, transporter) {
    this.serverUrl = serverUrl;
    this.transporter = transporter;
    this.buffer = [];
    this.sent = 0;
    this.failed = 0;
  }

  async flush(campaign) {
    if (this.buffer.length === 0) return;
    const events = this.buffer;
    this.buffer = [];
    await postEvents(this.serverUrl, campaign.id, events);
  }

  async reportStatus(campaign, state, total) {
    await updateStatus(this.serverUrl, campaign.id, { state, sent: this.sent, failed: this.failed, total });
  }

  async processCampaign(campaign, recipients) {
    const total = recipients.length;
    const delay = 60000 / campaign.emailsPerMinute;
    await this.reportStatus(campaign, 'running', total);
    for (const recipient of recipients) {
      try {
        await this.transporter.sendMail({ to: recipient.email, subject: campaign.subject });
        this.sent++;
        this.buffer.push({ recipientId: recipient.id, outcome: 'sent', at: new Date().toISOString() });
      } catch (err) {
        this.failed++;
        this.buffer.push({ recipientId: recipient.id, outcome: 'failed', at: new Date().toISOString(), error: err.message });
      }
      if (this.buffer.length >= 50) await this.flush(campaign);
      await sleep(delay);
    }
    await this.flush(campaign);
    await this.reportStatus(campaign, 'completed', total);
  }
}

module.exports = { CampaignWorker };
