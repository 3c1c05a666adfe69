import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

export async function run({ workerDir, serverUrl, campaign, recipients, mailer }) {
  const { CampaignJob } = await import(pathToFileURL(join(workerDir, 'src/CampaignJob.ts')).href);
  const deliver = (to, subject, body) => mailer.sendMail({ from: campaign.from, to, subject, text: body });
  return CampaignJob.processCampaign(campaign, recipients, { serverUrl, deliver });
}
