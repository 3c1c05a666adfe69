import { createRequire } from 'node:module';
import { join } from 'node:path';

// Their mail client is callback-style: send(options, (err, info) => ...).
export async function run({ workerDir, serverUrl, campaign, recipients, mailer }) {
  const require = createRequire(join(workerDir, 'package.json'));
  const { processCampaign } = require('./lib/worker.js');
  const mailClient = {
    send(message, callback) {
      mailer.sendMail(message).then(
        (info) => callback(null, info),
        (error) => callback(error),
      );
    },
  };
  return processCampaign({ campaign, recipients, apiBase: serverUrl, mailClient });
}
