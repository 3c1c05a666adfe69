import { createRequire } from 'node:module';
import type { SimCampaign, SimMail, Variant } from './types.js';

const require = createRequire(import.meta.url);
type ProcessCampaign = (campaign: unknown, deps: unknown) => Promise<unknown>;
/** The folder of the legacy worker's sources. */
export const legacyDir = require.resolve('@scope/legacy-worker/src/campaign.js').replace(/campaign\.js$/, '');

/** Loads a fresh copy of a legacy worker's modules from `dir`, as a new process would (module state included). */
export function loadLegacyWorker(dir: string = legacyDir): ProcessCampaign {
  // Every module of the worker's folder (a codemod may have added one, such as its server-updates module).
  for (const file of Object.keys(require.cache)) if (file.startsWith(dir)) delete require.cache[file];
  return (require(`${dir}campaign.js`) as { processCampaign: ProcessCampaign }).processCampaign;
}

/** The legacy worker, unchanged: `processCampaign` per campaign, as its own process would run them. */
export const legacy: Variant = {
  name: 'legacy',
  async runWorker(campaigns: readonly SimCampaign[], serverUrl: string, mail: SimMail) {
    const processCampaign = loadLegacyWorker();
    await Promise.all(
      campaigns.map(({ campaign, recipients }) =>
        processCampaign(campaign, { transporter: mail, serverUrl, recipients }),
      ),
    );
  },
};
