import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

// Their service passes the config object it loaded from config.json; the mailer is their nodemailer transporter.
export async function run({ workerDir, serverUrl, campaign, recipients, mailer }) {
  const { processCampaign } = await import(pathToFileURL(join(workerDir, 'src/worker.js')).href);
  return processCampaign({ ...campaign, recipients }, { mailer, config: { apiBase: serverUrl } });
}
