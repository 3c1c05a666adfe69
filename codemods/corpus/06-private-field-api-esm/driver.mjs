import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

export async function run({ workerDir, serverUrl, campaign, recipients, mailer }) {
  const { Sender } = await import(pathToFileURL(join(workerDir, 'src/Sender.js')).href);
  const sender = new Sender({ baseUrl: serverUrl, mail: mailer });
  return sender.processCampaign(campaign, recipients);
}
