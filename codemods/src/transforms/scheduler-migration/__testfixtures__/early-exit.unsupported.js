const { postEvents } = require('./api');

// The loop stops early on a condition: moving its body into a function would change what break means.
async function processCampaign(campaign, deps) {
  const buffer = [];
  for (const recipient of campaign.recipients) {
    if (deps.stopped) break;
    await deps.transporter.sendMail({ to: recipient.email });
    buffer.push({ recipientId: recipient.id, outcome: 'sent', at: new Date().toISOString() });
  }
  await postEvents(deps.serverUrl, campaign.id, buffer);
}

module.exports = { processCampaign };
