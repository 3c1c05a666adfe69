import { createRequire } from 'node:module';
import { join } from 'node:path';

export async function run({ workerDir, serverUrl, campaign, recipients, mailer }) {
  const require = createRequire(join(workerDir, 'package.json'));
  const processCampaign = require('./src/processCampaign.js');
  return processCampaign(campaign, recipients, { serverUrl, transporter: mailer });
}
