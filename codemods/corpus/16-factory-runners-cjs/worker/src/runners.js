'use strict';

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// Each kind of job gets a runner made from the shared deps. New kinds are added to KINDS.
const KINDS = {
  campaign: (deps) =>
    async function runCampaign(campaign, recipients) {
      const { http, mailer } = deps;
      let events = [];
      let sent = 0;
      let failed = 0;
      let seq = 0;
      const flush = async () => {
        if (!events.length) return;
        const batch = events;
        events = [];
        for (let i = 0; i < 3; i++) {
          try {
            await http.post(`/api/campaigns/${campaign.id}/events`, { events: batch });
            return;
          } catch (e) {
            deps.log(`events retry ${i + 1}: ${e.message}`);
          }
        }
      };
      const status = (state) =>
        http
          .put(`/api/campaigns/${campaign.id}/status`, { state, sent, failed, total: recipients.length, seq: ++seq, updatedAt: new Date().toISOString() })
          .catch((e) => deps.log(`status failed: ${e.message}`));

      const statusTimer = setInterval(() => status('running'), 30000);
      const flushTimer = setInterval(flush, 10000 + Math.random() * 15000);
      for (const r of recipients) {
        try {
          const info = await mailer.sendMail({ from: campaign.from, to: r.email, subject: campaign.subject, text: campaign.body });
          sent++;
          events.push({ recipientId: r.id, email: r.email, outcome: 'sent', at: new Date().toISOString(), messageId: info.messageId });
        } catch (e) {
          failed++;
          events.push({ recipientId: r.id, email: r.email, outcome: 'failed', at: new Date().toISOString(), error: e.message });
        }
        if (events.length >= 40) await flush();
        await sleep(60000 / campaign.emailsPerMinute);
      }
      clearInterval(statusTimer);
      clearInterval(flushTimer);
      await flush();
      await status('completed');
      return { sent, failed };
    },
  // a dry-run kind used by QA: sends nothing, reports nothing
  preview: () => async (campaign, recipients) => ({ sent: 0, failed: 0, wouldSend: recipients.length }),
};

function createRunners(deps) {
  const runners = {};
  for (const kind of Object.keys(KINDS)) runners[kind] = KINDS[kind](deps);
  return runners;
}

module.exports = { createRunners };
