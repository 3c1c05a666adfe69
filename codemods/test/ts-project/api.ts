export interface Outcome {
  recipientId: string;
  outcome: 'sent' | 'failed' | 'bounced' | 'skipped';
  at: string;
}

export interface Status {
  state: 'running' | 'completed';
  sent: number;
  failed: number;
  total: number;
}

export async function postOutcomes(serverUrl: string, campaignId: string, outcomes: Outcome[]): Promise<boolean> {
  const res = await fetch(`${serverUrl}/api/campaigns/${campaignId}/events`, {
    method: 'POST',
    body: JSON.stringify({ events: outcomes }),
  });
  return res.ok;
}

export async function putStatus(serverUrl: string, campaignId: string, status: Status): Promise<boolean> {
  const res = await fetch(`${serverUrl}/api/campaigns/${campaignId}/status`, {
    method: 'PUT',
    body: JSON.stringify(status),
  });
  return res.ok;
}
