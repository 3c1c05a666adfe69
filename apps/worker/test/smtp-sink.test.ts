import { connect } from 'node:net';
import nodemailer from 'nodemailer';
import { describe, expect, it } from 'vitest';
import { startSmtpSink } from '../src/smtp-sink.js';

describe('the SMTP sink', () => {
  it('outlives senders that reset their connection mid-transaction, and takes the next mail', async () => {
    const sink = await startSmtpSink();
    const uncaught: unknown[] = [];
    const onUncaught = (error: unknown) => uncaught.push(error);
    process.on('uncaughtException', onUncaught);
    try {
      const { port } = new URL(sink.url);
      // Senders killed mid-transaction (after MAIL FROM), two at once as a worker sending two campaigns would be:
      // each connection ends with a reset (RST).
      for (let i = 0; i < 2; i++) {
        const socket = connect(Number(port), '127.0.0.1');
        const reply = () => new Promise((resolve) => socket.once('data', resolve));
        await reply();
        socket.write('EHLO reset.example\r\n');
        await reply();
        socket.write('MAIL FROM:<sender@example.test>\r\n');
        await reply();
        socket.resetAndDestroy();
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
      const transport = nodemailer.createTransport({ url: sink.url, ignoreTLS: true });
      await transport.sendMail({ from: 'a@example.test', to: 'after-reset@example.test', text: 'hi' });
      transport.close();
      expect(sink.received.get('after-reset@example.test')).toBe(1);
      expect(uncaught).toEqual([]);
    } finally {
      process.off('uncaughtException', onUncaught);
      await sink.close();
    }
  });
});
