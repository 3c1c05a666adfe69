import { EventEmitter } from 'node:events';

/** Wraps a transport; emits 'delivered' (recipient, info) and 'rejected' (recipient, error). */
export class MailQueue extends EventEmitter {
  constructor(transport) {
    super();
    this.transport = transport;
  }

  async deliver(campaign, recipient) {
    try {
      const info = await this.transport.sendMail({
        from: campaign.from,
        to: recipient.email,
        subject: campaign.subject,
        text: campaign.body,
      });
      this.emit('delivered', recipient, info);
    } catch (error) {
      this.emit('rejected', recipient, error);
    }
  }
}
