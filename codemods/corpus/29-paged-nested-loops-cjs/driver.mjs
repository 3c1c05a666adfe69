import { createRequire } from 'node:module';
import { join } from 'node:path';

// Recipients come from the server; the list handed to the driver is not used.
export async function run({ workerDir, serverUrl, campaign, mailer }) {
  const require = createRequire(join(workerDir, 'package.json'));
  const { processCampaign } = require('./src/processCampaign.js');
  return processCampaign(campaign, { serverUrl, transport: mailer });
}
