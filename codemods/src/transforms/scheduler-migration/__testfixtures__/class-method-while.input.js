const api = require('./api');
const { sendEvents, sendStatus } = require('./updates');

class CampaignRunner {
  constructor(transporter) {
    this.transporter = transporter;
  }

  // Each outcome is buffered; the buffer goes out every 50 events.
  async processCampaign(campaign, recipients) {
    let buffer = [];
    let index = 0;
    while (index < recipients.length) {
      const info = await this.transporter.sendMail({ to: recipients[index].email });
      buffer.push({ recipientId: recipients[index].id, outcome: 'sent', at: new Date().toISOString(), messageId: info.messageId });
      if (buffer.length === 50) {
        await sendEvents(campaign.id, buffer, api.token);
        buffer.splice(0, buffer.length);
      }
      index++;
    }
    await sendEvents(campaign.id, buffer, api.token);
    await sendStatus(campaign.id, 'completed');
  }
}

module.exports = { CampaignRunner };
