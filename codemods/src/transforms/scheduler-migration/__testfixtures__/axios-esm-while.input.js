import axios from 'axios';

// An ESM worker posting with axios; the buffer is emptied with length = 0.
export async function processCampaign(campaign, { transporter, baseUrl }) {
  const outcomes = [];
  let i = 0;
  while (i < campaign.recipients.length) {
    const recipient = campaign.recipients[i];
    const info = await transporter.sendMail({ to: recipient.email });
    outcomes.push({ recipientId: recipient.id, outcome: 'sent', at: new Date().toISOString(), messageId: info.messageId });
    if (outcomes.length === 50) {
      await axios.post(`${baseUrl}/api/campaigns/${campaign.id}/events`, { events: outcomes }, { timeout: 5000 });
      outcomes.length = 0;
    }
    i++;
  }
  await axios.post(`${baseUrl}/api/campaigns/${campaign.id}/events`, { events: outcomes });
  await axios.put(`${baseUrl}/api/campaigns/${campaign.id}/status`, { state: 'completed', sent: i });
}
