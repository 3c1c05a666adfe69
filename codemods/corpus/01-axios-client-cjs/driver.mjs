import { createRequire } from 'node:module';
import { join } from 'node:path';

// The team's index.js reads MAIN_SERVER_URL from the environment, builds a nodemailer transporter and hands
// processCampaign the campaign with its recipients attached.
export async function run({ workerDir, serverUrl, campaign, recipients, mailer }) {
  process.env.MAIN_SERVER_URL = serverUrl;
  process.env.MAIN_SERVER_TOKEN = 'corpus-token';
  const require = createRequire(join(workerDir, 'package.json'));
  const { processCampaign } = require('./lib/campaign.js');
  const transporter = { sendMail: (message) => mailer.sendMail(message) };
  return processCampaign({ ...campaign, recipients }, transporter);
}
