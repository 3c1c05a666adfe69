'use strict';
const axios = require('axios');
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

const http = axios.create({ baseURL: process.env.MAIN_SERVER_URL, headers: { Authorization: `Bearer ${process.env.WORKER_TOKEN}` } });

async function processCampaign(campaign, deps) {
  let buffer = [];
  let sent = 0;
  for (const recipient of campaign.recipients) {
    await deps.transporter.sendMail({ to: recipient.email });
    sent++;
    buffer.push({ recipientId: recipient.id, outcome: 'sent', at: new Date().toISOString() });
    if (buffer.length >= 50) {
      await http.post('/api/campaigns/' + campaign.id + '/events', { events: buffer });
      buffer = [];
    }
    await sleep(60000 / campaign.emailsPerMinute);
  }
  await http.post('/api/campaigns/' + campaign.id + '/events', { events: buffer });
  await http.put('/api/campaigns/' + campaign.id + '/status', { state: 'completed', sent, failed: 0, total: campaign.recipients.length });
}

module.exports = { processCampaign };
