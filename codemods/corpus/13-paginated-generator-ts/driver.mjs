import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

// This worker reads its recipients from the main server; the list passed in is not used.
export async function run({ workerDir, serverUrl, campaign, mailer }) {
  const { createHttp } = await import(pathToFileURL(join(workerDir, 'src/http.ts')).href);
  const { processCampaign } = await import(pathToFileURL(join(workerDir, 'src/processCampaign.ts')).href);
  return processCampaign(createHttp(serverUrl), campaign, mailer);
}
