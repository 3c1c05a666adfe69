import axios from 'axios';
import { serverUpdates } from './server-updates.js';

// Shared with the dashboard module, which shows what is waiting.
export const outbox = [];

export async function processCampaign(campaign, mailer, base) {
  const flush = async () => {
    if (outbox.length === 0) return;
    const events = outbox.splice(0);
    await serverUpdates.axios(axios, 'post', `${base}/api/campaigns/${campaign.id}/events`, { events });
  };
  for (const r of campaign.recipients) {
    await mailer.sendMail({ to: r.email });
    outbox.push({ recipientId: r.id, outcome: 'sent', at: new Date().toISOString() });
    if (outbox.length >= 10) await flush();
  }
  await flush();
  await serverUpdates.axios(axios, 'put', `${base}/api/campaigns/${campaign.id}/status`, { state: 'completed', seq: 1 });
}
