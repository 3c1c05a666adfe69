import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';

/** An SMTP server on loopback that accepts mail and counts it per recipient: a real SMTP path, going nowhere. */
export interface SmtpSink {
  readonly url: string;
  /** Messages received per recipient address. */
  readonly received: Map<string, number>;
  close(): Promise<void>;
}

/**
 * Starts the sink on a free loopback port (`replyDelayMs` delays each reply to DATA, as a slow mail server would). Addresses starting with `bounce-` are refused for good (550), those
 * starting with `busy-` for now (451), as a real mail server would, so outcomes come from real SMTP replies.
 */
export async function startSmtpSink({
  replyDelayMs = 0,
  holdReply = () => false,
}: {
  replyDelayMs?: number;
  /** Tests: takes the message to these addresses and never replies (the sender waits until it dies). */
  holdReply?: (address: string) => boolean;
} = {}): Promise<SmtpSink> {
  const received = new Map<string, number>();
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onRcptTo(address, _session, callback) {
      const refuse = (code: number, text: string) => callback(Object.assign(new Error(text), { responseCode: code }));
      if (address.address.startsWith('bounce-')) return refuse(550, 'mailbox unavailable');
      if (address.address.startsWith('busy-')) return refuse(451, 'mailbox busy, try again later');
      callback();
    },
    onData(stream, session, callback) {
      stream.on('data', () => undefined);
      stream.on('end', () => {
        for (const rcpt of session.envelope.rcptTo) received.set(rcpt.address, (received.get(rcpt.address) ?? 0) + 1);
        // A slower mail server (tests): the message is taken, its reply comes later, or never.
        if (session.envelope.rcptTo.some((rcpt) => holdReply(rcpt.address))) return;
        if (replyDelayMs > 0) setTimeout(callback, replyDelayMs);
        else callback();
      });
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  // Once listening, an error is a client's connection failing (a sender killed mid-session resets it): that
  // session ends, the sink goes on. Without a listener it would be thrown and end the whole process.
  server.on('error', () => undefined);
  const { port } = server.server.address() as AddressInfo;
  return {
    url: `smtp://127.0.0.1:${port}`,
    received,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
