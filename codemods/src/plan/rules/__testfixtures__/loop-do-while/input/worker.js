export class Sender {
  constructor(mail, base) {
    this.mail = mail;
    this.base = base;
  }

  async processCampaign(campaign) {
    let index = 0;
    do {
      const r = campaign.recipients[index];
      await this.mail.sendMail({ to: r.email });
      await fetch(`${this.base}/api/campaigns/${campaign.id}/events`, {
        method: 'POST',
        body: JSON.stringify({ events: [{ recipientId: r.id, outcome: 'sent', at: new Date().toISOString() }] }),
      });
      index += 1;
      await new Promise((ok) => setTimeout(ok, 60_000 / campaign.emailsPerMinute));
    } while (index < campaign.recipients.length);
    await fetch(`${this.base}/api/campaigns/${campaign.id}/status`, { method: 'PUT', body: JSON.stringify({ state: 'completed' }) });
  }
}
