import type { StatusBody } from './status.js';

export interface RecipientEvent {
  recipientId: string;
  email?: string;
  outcome: 'sent' | 'failed' | 'bounced' | 'skipped';
  at: string;
  messageId?: string;
  error?: string;
}

let baseUrl = '';

export function configureApi(url: string): void {
  baseUrl = url.replace(/\/+$/, '');
}

async function send(method: string, path: string, body: unknown): Promise<boolean> {
  for (let i = 0; i < 3; i++) {
    try {
      const res = await fetch(`${baseUrl}${path}`, { method, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
      if (res.ok) return true;
    } catch {
      /* retry */
    }
  }
  return false;
}

export function postEvents(campaignId: string, events: RecipientEvent[]): Promise<boolean> {
  return send('POST', `/api/campaigns/${campaignId}/events`, { events });
}

export function updateStatus(campaignId: string, status: StatusBody): Promise<boolean> {
  return send('PUT', `/api/campaigns/${campaignId}/status`, status);
}
