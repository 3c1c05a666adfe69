import { createRequire } from 'node:module';
import { join } from 'node:path';

// Their index.js: require('./campaign').processCampaign(job, { server, mailer }).
export async function run({ workerDir, serverUrl, campaign, recipients, mailer }) {
  const require = createRequire(join(workerDir, 'package.json'));
  const worker = require('./campaign.js');
  return worker.processCampaign({ ...campaign, recipients }, { server: serverUrl, mailer });
}
