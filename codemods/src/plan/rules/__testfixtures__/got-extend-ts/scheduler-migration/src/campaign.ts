import { api } from './api.js';
import { serverUpdates } from './server-updates.js';

export interface Campaign {
  id: string;
  emailsPerMinute: number;
}

export async function processCampaign(campaign: Campaign, sent: number): Promise<void> {
  const body = { state: 'completed', sent, failed: 0, total: sent };
  await serverUpdates.got(api, 'put', `api/campaigns/${campaign.id}/status`, { json: body });
}
