import { postEvents, type RecipientEvent, updateStatus } from './lib/api.js';
import { debounce } from './lib/debounce.js';
import { buildStatus, type Counters } from './lib/status.js';

export interface Campaign {
  id: string;
  emailsPerMinute: number;
  from: string;
  subject: string;
  body: string;
}

export interface Recipient {
  id: string;
  email: string;
}

export type SendFn = (to: string, subject: string, html: string, from: string) => Promise<string>;

const BATCH_SIZE = 50;

export async function processCampaign(campaign: Campaign, recipients: Recipient[], send: SendFn): Promise<Counters> {
  const counters: Counters = { sent: 0, failed: 0, total: recipients.length };
  const waitMs = 60_000 / campaign.emailsPerMinute;
  let buffer: RecipientEvent[] = [];
  let seq = 0;
  let flushTimer: ReturnType<typeof setTimeout> | null = null;

  const reportStatus = debounce((body: ReturnType<typeof buildStatus>) => updateStatus(campaign.id, body), 5_000);

  const flush = async (): Promise<void> => {
    if (flushTimer) clearTimeout(flushTimer);
    flushTimer = null;
    if (buffer.length === 0) return;
    const events = buffer;
    buffer = [];
    await postEvents(campaign.id, events);
  };

  for (const recipient of recipients) {
    try {
      const messageId = await send(recipient.email, campaign.subject, campaign.body, campaign.from);
      counters.sent++;
      buffer.push({ recipientId: recipient.id, email: recipient.email, outcome: 'sent', at: new Date().toISOString(), messageId });
    } catch (err) {
      counters.failed++;
      buffer.push({ recipientId: recipient.id, email: recipient.email, outcome: 'failed', at: new Date().toISOString(), error: String(err) });
    }

    if (buffer.length >= BATCH_SIZE) {
      await flush();
    } else if (flushTimer === null) {
      flushTimer = setTimeout(() => void flush(), 10_000 + Math.random() * 15_000);
    }
    // every 10 emails; the debounce keeps this from being a request each time
    if ((counters.sent + counters.failed) % 10 === 0) reportStatus(buildStatus('running', counters, ++seq));

    await new Promise((resolve) => setTimeout(resolve, waitMs));
  }

  reportStatus.cancel();
  await flush();
  await updateStatus(campaign.id, buildStatus('completed', counters, ++seq));
  return counters;
}
