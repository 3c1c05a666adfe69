import axios from 'axios';

// Updates posted straight with axios, the buffer cleared with length = 0.
export async function processCampaign(campaign: { id: string; recipients: string[] }, base: string): Promise<void> {
  const events: Array<{ recipientId: string; outcome: 'sent'; at: string }> = [];
  for (const recipient of campaign.recipients) {
    events.push({ recipientId: recipient, outcome: 'sent', at: new Date().toISOString() });
    if (events.length >= 50) {
      await axios.post(`${base}/api/campaigns/${campaign.id}/events`, { events }, { headers: { 'x-worker': 'w1' } });
      events.length = 0;
    }
  }
  await axios.post(`${base}/api/campaigns/${campaign.id}/events`, { events });
  const total = campaign.recipients.length;
  await axios.put(`${base}/api/campaigns/${campaign.id}/status`, { state: 'completed', sent: total, failed: 0, total });
}
