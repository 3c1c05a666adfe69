import { createRequire } from 'node:module';
import { join } from 'node:path';

export async function run({ workerDir, serverUrl, campaign, recipients, mailer }) {
  process.env.CAMPAIGN_API_ROOT = serverUrl;
  const require = createRequire(join(workerDir, 'package.json'));
  const { processCampaign } = require('./src/campaign.js');
  return processCampaign(campaign, recipients, mailer);
}
