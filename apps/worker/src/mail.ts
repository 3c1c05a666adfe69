import type { RecipientOutcome } from '@scope/scheduler';
import nodemailer from 'nodemailer';
import { SmtpUnavailableError } from './errors/SmtpUnavailableError.js';

/** What sending one email came to. */
export interface MailResult {
  readonly outcome: Extract<RecipientOutcome, 'sent' | 'failed' | 'bounced'>;
  readonly messageId?: string;
  readonly error?: string;
}

export interface Mailer {
  /** `host:port` of the SMTP server, for messages. */
  readonly target: string;
  /**
   * Connects and greets the SMTP server (and logs in, with credentials), sending nothing.
   *
   * @throws SmtpUnavailableError naming the server and the cause.
   */
  verify(): Promise<void>;
  send(message: { from: string; to: string; subject: string; text: string }): Promise<MailResult>;
  close(): void;
}

/**
 * A pooled nodemailer SMTP transport. The outcome comes from the SMTP reply: accepted → sent, a permanent refusal
 * (5xx) → bounced, a temporary one (4xx) or no answer → failed.
 */
export function createMailer(smtpUrl: string): Mailer {
  const url = new URL(smtpUrl);
  const port = Number(url.port || (url.protocol === 'smtps:' ? 465 : 25));
  const target = `${url.hostname}:${port}`;
  const transport = nodemailer.createTransport({
    pool: true,
    maxConnections: 3,
    host: url.hostname,
    port,
    secure: url.protocol === 'smtps:',
    // nodemailer waits two minutes for a connection by default: a server that does not answer is told sooner.
    connectionTimeout: 15_000,
    ...(url.username
      ? { auth: { user: decodeURIComponent(url.username), pass: decodeURIComponent(url.password) } }
      : {}),
  });
  return {
    target,
    async verify() {
      try {
        await transport.verify();
      } catch (error) {
        throw new SmtpUnavailableError(`SMTP server ${target} cannot be used: ${(error as Error).message}`);
      }
    },
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
