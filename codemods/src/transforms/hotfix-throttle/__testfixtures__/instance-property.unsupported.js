'use strict';
const axios = require('axios');

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

class Turtle {
  constructor(serverUrl, transporter) {
    this.http = axios.create({ baseURL: serverUrl, timeout: 5000 });
    this.transporter = transporter;
  }

  async processCampaign(campaign, recipients) {
    let outcomes = [];
    let sent = 0;
    let failed = 0;
    for (const recipient of recipients) {
      try {
        await this.transporter.sendMail({ to: recipient.email });
        sent++;
        outcomes.push({ recipientId: recipient.id, outcome: 'sent', at: new Date().toISOString() });
      } catch (err) {
        failed++;
        outcomes.push({ recipientId: recipient.id, outcome: 'failed', at: new Date().toISOString() });
      }
      if (outcomes.length >= 50) {
        await this.http.post(`/api/campaigns/${campaign.id}/events`, { events: outcomes });
        outcomes = [];
      }
      await sleep(60000 / campaign.emailsPerMinute);
    }
    await this.http.post(`/api/campaigns/${campaign.id}/events`, { events: outcomes });
    await this.http.put(`/api/campaigns/${campaign.id}/status`, { state: 'completed', sent, failed, total: recipients.length });
  }
}

module.exports = { Turtle };
