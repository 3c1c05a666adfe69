const { postEvents, updateStatus } = require('./api');

async function processCampaign(campaign, deps) {
  const items = [];
  let sent = 0;
  for (const recipient of campaign.recipients) {
    await deps.transporter.sendMail({ to: recipient.email });
    sent++;
    items.push({ recipientId: recipient.id, outcome: 'sent', at: new Date().toISOString() });
    if (items.length >= 50) {
      await postEvents(deps.serverUrl, campaign.id, items, { attempts: 3 });
      items.length = 0;
    }
  }
  await postEvents(deps.serverUrl, campaign.id, items, { attempts: 3 });
  await updateStatus(deps.serverUrl, campaign.id, { state: 'completed', sent, failed: 0, total: sent });
}

module.exports = { processCampaign };
