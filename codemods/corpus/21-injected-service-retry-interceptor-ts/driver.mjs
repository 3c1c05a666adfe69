import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

// Their container wires the service with the api, the mail port and a clock.
export async function run({ workerDir, serverUrl, campaign, recipients, mailer }) {
  const { createAxios, MainApi } = await import(pathToFileURL(join(workerDir, 'src/mainApi.ts')).href);
  const { CampaignService } = await import(pathToFileURL(join(workerDir, 'src/CampaignService.ts')).href);
  const clock = { now: () => new Date(), sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)) };
  const service = new CampaignService({
    api: new MainApi(createAxios(serverUrl, () => 'corpus-token')),
    mail: mailer,
    clock,
  });
  return service.processCampaign(campaign, recipients);
}
