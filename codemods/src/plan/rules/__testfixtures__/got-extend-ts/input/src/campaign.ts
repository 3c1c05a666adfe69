import { api } from './api.js';

export interface Campaign {
  id: string;
  emailsPerMinute: number;
}

export async function processCampaign(campaign: Campaign, sent: number): Promise<void> {
  const body = { state: 'completed', sent, failed: 0, total: sent };
  await api.put(`api/campaigns/${campaign.id}/status`, { json: body });
}
