const got = require('got');

const SERVER = process.env.MAIN_SERVER;

// A worker posting with got, an indexed loop, the buffer spliced empty.
const processCampaign = async function (campaign, transporter) {
  const buffer = [];
  for (let i = 0; i < campaign.recipients.length; i++) {
    await transporter.sendMail({ to: campaign.recipients[i].email });
    buffer.push({ recipientId: campaign.recipients[i].id, outcome: 'sent', at: new Date().toISOString() });
    if (buffer.length >= 50) {
      await got.post(SERVER + '/api/campaigns/' + campaign.id + '/events', { json: { events: buffer }, retry: { limit: 2 } });
      buffer.splice(0, buffer.length);
    }
  }
  await got.post(SERVER + '/api/campaigns/' + campaign.id + '/events', { json: { events: buffer } });
  await got.put(SERVER + '/api/campaigns/' + campaign.id + '/status', { json: { state: 'completed' } });
};

module.exports = { processCampaign };
