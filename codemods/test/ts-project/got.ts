import got from 'got';

// Updates posted straight with got, the buffer cleared with splice.
export async function processCampaign(campaign: { id: string; recipients: string[] }, base: string): Promise<void> {
  const events: Array<{ recipientId: string; outcome: 'sent'; at: string }> = [];
  for (const recipient of campaign.recipients) {
    events.push({ recipientId: recipient, outcome: 'sent', at: new Date().toISOString() });
    if (events.length >= 50) {
      await got.post(`${base}/api/campaigns/${campaign.id}/events`, { json: { events }, timeout: { request: 5000 } });
      events.splice(0, events.length);
    }
  }
  await got.post(`${base}/api/campaigns/${campaign.id}/events`, { json: { events } });
  const total = campaign.recipients.length;
  await got.put(`${base}/api/campaigns/${campaign.id}/status`, {
    json: { state: 'completed', sent: total, failed: 0, total },
  });
}
