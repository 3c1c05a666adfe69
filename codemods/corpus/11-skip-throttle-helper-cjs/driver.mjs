import { createRequire } from 'node:module';
import { join } from 'node:path';

export async function run({ workerDir, serverUrl, campaign, recipients, mailer }) {
  const require = createRequire(join(workerDir, 'package.json'));
  require('./reporter.js').setBaseUrl(serverUrl);
  const { processCampaign } = require('./processor.js');
  return processCampaign(campaign, recipients, mailer);
}
