const { postEvents, updateStatus } = require('./api');

// A worker written as an object with a method; the buffer is reassigned after each post.
const worker = {
  async processCampaign(campaign, { transporter, serverUrl, sleep }) {
    let pending = [];
    for (const recipient of campaign.recipients) {
      await transporter.sendMail({ to: recipient.email });
      pending.push({ recipientId: recipient.id, outcome: 'sent', at: new Date().toISOString() });
      if (pending.length >= 50) {
        await postEvents(serverUrl, campaign.id, pending);
        pending = [];
      }
      await sleep(60000 / campaign.emailsPerMinute);
    }
    await postEvents(serverUrl, campaign.id, pending);
    await updateStatus(serverUrl, campaign.id, { state: 'completed', sent: campaign.recipients.length, failed: 0, total: campaign.recipients.length });
  },
};

module.exports = worker;
