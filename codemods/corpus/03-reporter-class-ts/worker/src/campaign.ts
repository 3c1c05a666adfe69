import { ProgressReporter } from './reporter.js';
import type { Campaign, Recipient, WorkerOptions } from './types.js';

const STATUS_PERIOD_MS = 60_000;

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

export interface CampaignResult {
  sent: number;
  failed: number;
}

export async function processCampaign(
  campaign: Campaign,
  recipients: readonly Recipient[],
  options: WorkerOptions,
): Promise<CampaignResult> {
  const reporter = new ProgressReporter(options.serverUrl, campaign.id, recipients.length);
  const interval = 60_000 / campaign.emailsPerMinute;
  let sent = 0;
  let failed = 0;

  await reporter.status('running', sent, failed);
  const heartbeat = setInterval(() => {
    void reporter.status('running', sent, failed);
  }, STATUS_PERIOD_MS);

  try {
    for (const recipient of recipients) {
      try {
        const info = await options.transport.sendMail({
          from: campaign.from,
          to: recipient.email,
          subject: campaign.subject,
          html: campaign.body,
        });
        sent++;
        await reporter.record({
          recipientId: recipient.id,
          email: recipient.email,
          outcome: 'sent',
          at: new Date().toISOString(),
          messageId: info.messageId,
        });
      } catch (error: unknown) {
        failed++;
        await reporter.record({
          recipientId: recipient.id,
          email: recipient.email,
          outcome: 'failed',
          at: new Date().toISOString(),
          error: error instanceof Error ? error.message : String(error),
        });
      }
      await delay(interval);
    }
  } finally {
    clearInterval(heartbeat);
  }

  await reporter.close(sent, failed);
  return { sent, failed };
}
