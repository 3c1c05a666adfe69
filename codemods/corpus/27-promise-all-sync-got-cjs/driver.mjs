import { createRequire } from 'node:module';
import { join } from 'node:path';

export async function run({ workerDir, serverUrl, campaign, recipients, mailer }) {
  const require = createRequire(join(workerDir, 'package.json'));
  require('./src/reportingClient.js').init(serverUrl);
  const { processCampaign } = require('./src/campaign.js');
  return processCampaign(campaign, recipients, mailer);
}
