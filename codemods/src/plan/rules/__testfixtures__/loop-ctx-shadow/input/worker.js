export default {
  async processCampaign(campaign, ctx) {
    for (const r of ctx.recipients) {
      await ctx.mailer.sendMail({ to: r.email });
      await fetch(`${ctx.serverUrl}/api/campaigns/${campaign.id}/events`, {
        method: 'POST',
        body: JSON.stringify({ events: [{ recipientId: r.id, outcome: 'sent', at: new Date().toISOString() }] }),
      });
      await new Promise((done) => setTimeout(done, 60_000 / campaign.emailsPerMinute));
    }
    await fetch(`${ctx.serverUrl}/api/campaigns/${campaign.id}/status`, { method: 'PUT', body: JSON.stringify({ state: 'completed' }) });
  },
};
