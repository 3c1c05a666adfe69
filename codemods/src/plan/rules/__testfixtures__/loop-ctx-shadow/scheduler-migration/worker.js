import { serverUpdates } from './server-updates.js';

export default {
  async processCampaign(campaign, ctx) {
    serverUpdates.campaign(campaign.id, { emailsPerMinute: campaign.emailsPerMinute });
    const processSingleRecipientOptimized = async (r, ctx2) => {
      await ctx.mailer.sendMail({ to: r.email });
      await serverUpdates.fetch(fetch, `${ctx.serverUrl}/api/campaigns/${campaign.id}/events`, {
        method: 'POST',
        body: JSON.stringify({ events: [{ recipientId: r.id, outcome: 'sent', at: new Date().toISOString() }] }),
      });
    };
    let recipientIndex = 0;
    for (const r of ctx.recipients) {
      await processSingleRecipientOptimized(r, { campaign, index: recipientIndex++ });
      await new Promise((done) => setTimeout(done, 60_000 / campaign.emailsPerMinute));
    }
    await serverUpdates.fetch(fetch, `${ctx.serverUrl}/api/campaigns/${campaign.id}/status`, { method: 'PUT', body: JSON.stringify({ state: 'completed' }) });
  },
};
