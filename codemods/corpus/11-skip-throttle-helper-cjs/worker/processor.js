const { sendOutcomes, sendProgress } = require('./reporter');
const { throttle } = require('./utils/throttle');

const MAX_BATCH = 30;

// running statuses are throttled (15s); the final one is not
const sendProgressThrottled = throttle(sendProgress, 15000);

const processCampaign = async (campaign, recipients, mail) => {
  const outcomes = [];
  let sent = 0;
  let failed = 0;
  let seq = 0;
  const progress = (state) => ({ state, sent, failed, total: recipients.length, seq: ++seq, updatedAt: new Date().toISOString() });
  const delayMs = 60 * 1000 / campaign.emailsPerMinute;

  const flushOutcomes = async () => {
    if (outcomes.length === 0) return;
    const copy = [...outcomes];
    outcomes.length = 0;
    await sendOutcomes(campaign.id, copy);
  };
  const flushTimer = setInterval(flushOutcomes, 20000);

  for (const r of recipients) {
    try {
      const result = await mail.sendMail({ from: campaign.from, to: r.email, subject: campaign.subject, text: campaign.body });
      sent++;
      outcomes.push({ recipientId: r.id, email: r.email, outcome: 'sent', at: new Date().toISOString(), messageId: result.messageId });
    } catch (e) {
      failed++;
      outcomes.push({ recipientId: r.id, email: r.email, outcome: e.responseCode === 550 ? 'bounced' : 'failed', at: new Date().toISOString(), error: e.message });
    }
    if (outcomes.length >= MAX_BATCH) await flushOutcomes();
    await sendProgressThrottled(campaign.id, progress('running'));
    await new Promise((resolve) => setTimeout(resolve, delayMs));
  }

  clearInterval(flushTimer);
  await flushOutcomes();
  await sendProgress(campaign.id, progress('completed'));
  return { sent, failed };
};

module.exports = { processCampaign };
