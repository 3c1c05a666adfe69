import { type Campaign, campaignList, parse, type Recipient, recipientPage } from '@scope/contract';
import { sleep } from './sleep.js';

/** Reads one intake endpoint, with a few spaced retries: intake happens rarely, so a short outage should not end the run. */
async function getJson(url: string, what: string, signal: AbortSignal, attempts = 5): Promise<unknown> {
  let lastError = '';
  for (let attempt = 1; attempt <= attempts; attempt++) {
    try {
      const response = await fetch(url, { signal });
      if (response.ok) return await response.json();
      lastError = `HTTP ${response.status}`;
      if (response.status < 500 && response.status !== 429) break;
    } catch (error) {
      if (signal.aborted) throw error;
      lastError = (error as Error).message;
    }
    await sleep(Math.min(30_000, 1_000 * 2 ** (attempt - 1)), signal);
    if (signal.aborted) throw signal.reason;
  }
  throw new Error(`${what}: ${lastError}`);
}

/** The campaigns waiting for a worker (`GET /api/campaigns?state=ready`), checked against the contract. */
export async function readyCampaigns(serverUrl: string, signal: AbortSignal): Promise<Campaign[]> {
  const body = await getJson(`${serverUrl}/api/campaigns?state=ready`, 'GET /api/campaigns', signal);
  return parse(campaignList, body, 'GET /api/campaigns answer').campaigns;
}

/** Every recipient of a campaign, page by page. */
export async function recipientsOf(serverUrl: string, campaignId: string, signal: AbortSignal): Promise<Recipient[]> {
  const recipients: Recipient[] = [];
  let cursor: string | null = '';
  while (cursor !== null) {
    const path: string = `/api/campaigns/${encodeURIComponent(campaignId)}/recipients?cursor=${cursor}`;
    const page: { recipients: Recipient[]; nextCursor: string | null } = parse(
      recipientPage,
      await getJson(`${serverUrl}${path}`, `GET ${path}`, signal),
      `GET ${path} answer`,
    );
    recipients.push(...page.recipients);
    cursor = page.nextCursor;
  }
  return recipients;
}
