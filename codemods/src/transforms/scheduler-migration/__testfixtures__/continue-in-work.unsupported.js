const { postEvents } = require('./api');

// `continue` skips the pacing of an unsubscribed recipient: moved into a function it would not, so this is refused.
async function processCampaign(campaign, deps) {
  const buffer = [];
  for (const recipient of campaign.recipients) {
    if (recipient.unsubscribed) continue;
    await deps.send(recipient);
    buffer.push({ recipientId: recipient.id, outcome: 'sent', at: new Date().toISOString() });
    await deps.sleep(1000);
  }
  await postEvents(deps.serverUrl, campaign.id, buffer);
}

module.exports = { processCampaign };
