import type { Progress, Reporter } from './reporting/types.js';

export interface Recipient {
  id: string;
  email: string;
}

export interface Campaign {
  id: string;
  emailsPerMinute: number;
  from: string;
  subject: string;
  body: string;
}

export interface Mailer {
  sendMail(message: Record<string, string>): Promise<{ messageId: string }>;
}

/** Sends a campaign; every outcome and all progress go through the reporter. */
export async function processCampaign(campaign: Campaign, recipients: Recipient[], mailer: Mailer, reporter: Reporter): Promise<Progress> {
  const progress: Progress = { sent: 0, failed: 0, total: recipients.length };
  const everyMs = 60_000 / campaign.emailsPerMinute;
  await reporter.progress('running', progress);
  const heartbeat = setInterval(() => void reporter.progress('running', progress), 30_000);

  for (const recipient of recipients) {
    const at = new Date().toISOString();
    try {
      const { messageId } = await mailer.sendMail({ from: campaign.from, to: recipient.email, subject: campaign.subject, text: campaign.body });
      progress.sent++;
      await reporter.outcome({ recipientId: recipient.id, email: recipient.email, outcome: 'sent', at, messageId });
    } catch (err) {
      progress.failed++;
      await reporter.outcome({ recipientId: recipient.id, email: recipient.email, outcome: 'failed', at, error: String((err as Error).message) });
    }
    await new Promise((r) => setTimeout(r, everyMs));
  }

  clearInterval(heartbeat);
  await reporter.finish(progress);
  return progress;
}
