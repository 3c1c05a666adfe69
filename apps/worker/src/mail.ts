import type { RecipientOutcome } from '@scope/scheduler';
import nodemailer from 'nodemailer';

/** What sending one email came to. */
export interface MailResult {
  readonly outcome: Extract<RecipientOutcome, 'sent' | 'failed' | 'bounced'>;
  readonly messageId?: string;
  readonly error?: string;
}

export interface Mailer {
  send(message: { from: string; to: string; subject: string; text: string }): Promise<MailResult>;
  close(): void;
}

/**
 * A pooled nodemailer SMTP transport. The outcome comes from the SMTP reply: accepted → sent, a permanent refusal
 * (5xx) → bounced, a temporary one (4xx) or no answer → failed.
 */
export function createMailer(smtpUrl: string): Mailer {
  const url = new URL(smtpUrl);
  const transport = nodemailer.createTransport({
    pool: true,
    maxConnections: 3,
    host: url.hostname,
    port: Number(url.port || (url.protocol === 'smtps:' ? 465 : 25)),
    secure: url.protocol === 'smtps:',
    ...(url.username
      ? { auth: { user: decodeURIComponent(url.username), pass: decodeURIComponent(url.password) } }
      : {}),
  });
  return {
    async send(message) {
      try {
        const info = await transport.sendMail(message);
        return { outcome: 'sent', messageId: info.messageId };
      } catch (error) {
        const code = (error as { responseCode?: number }).responseCode;
        const text = (error as Error).message;
        return { outcome: code !== undefined && code >= 500 ? 'bounced' : 'failed', error: text };
      }
    },
    close: () => transport.close(),
  };
}
