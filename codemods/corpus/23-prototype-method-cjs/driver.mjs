import { createRequire } from 'node:module';
import { join } from 'node:path';

export async function run({ workerDir, serverUrl, campaign, recipients, mailer }) {
  const require = createRequire(join(workerDir, 'package.json'));
  const CampaignProcessor = require('./lib/CampaignProcessor.js');
  const processor = new CampaignProcessor({ serverUrl, transporter: mailer });
  return processor.processCampaign(campaign, recipients);
}
