import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

// Their mail API is send(to, subject, html, from) -> messageId.
export async function run({ workerDir, serverUrl, campaign, recipients, mailer }) {
  const api = await import(pathToFileURL(join(workerDir, 'src/lib/api.ts')).href);
  api.configureApi(serverUrl);
  const { processCampaign } = await import(pathToFileURL(join(workerDir, 'src/processCampaign.ts')).href);
  const send = async (to, subject, html, from) => (await mailer.sendMail({ from, to, subject, html })).messageId;
  return processCampaign(campaign, recipients, send);
}
