const { sendJson } = require('./api');

async function processCampaign(campaign, base) {
  await sendJson('PUT', `${base}/api/campaigns/${campaign.id}/status`, { state: 'completed', sent: 0, failed: 0, total: 0 });
}

module.exports = { processCampaign };
