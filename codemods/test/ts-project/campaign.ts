import { type Outcome, postOutcomes, putStatus } from './api.js';

export interface Campaign {
  id: string;
  emailsPerMinute: number;
  recipients: Array<{ id: string; email: string }>;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

// A typed legacy worker: the buffer goes out every 50 outcomes, the status every `emailsPerMinute` emails.
export async function processCampaign(
  campaign: Campaign,
  serverUrl: string,
  send: (to: string) => Promise<void>,
): Promise<void> {
  let buffer: Outcome[] = [];
  let sent = 0;
  for (const recipient of campaign.recipients) {
    await send(recipient.email);
    sent++;
    buffer.push({ recipientId: recipient.id, outcome: 'sent', at: new Date().toISOString() });
    if (buffer.length >= 50) {
      await postOutcomes(serverUrl, campaign.id, buffer);
      buffer = [];
    }
    if (sent % campaign.emailsPerMinute === 0) {
      await putStatus(serverUrl, campaign.id, { state: 'running', sent, failed: 0, total: campaign.recipients.length });
    }
    await sleep(60_000 / campaign.emailsPerMinute);
  }
  await postOutcomes(serverUrl, campaign.id, buffer);
  await putStatus(serverUrl, campaign.id, { state: 'completed', sent, failed: 0, total: campaign.recipients.length });
}
