export type Outcome = 'sent' | 'failed' | 'bounced' | 'skipped';
export type CampaignState = 'running' | 'paused' | 'completed' | 'failed' | 'cancelled';

export interface Recipient {
  id: string;
  email: string;
  name?: string;
}

export interface Campaign {
  id: string;
  name: string;
  emailsPerMinute: number;
  from: string;
  subject: string;
  body: string;
}

export interface RecipientEvent {
  recipientId: string;
  email?: string;
  outcome: Outcome;
  at: string;
  messageId?: string;
  error?: string;
}

export interface MailTransport {
  sendMail(message: { from: string; to: string; subject: string; html: string }): Promise<{ messageId: string }>;
}

export interface WorkerOptions {
  serverUrl: string;
  transport: MailTransport;
}
