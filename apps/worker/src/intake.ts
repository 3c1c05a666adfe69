import { type Campaign, campaignList, parse, type Recipient, recipientPage } from '@scope/contract';
import { IntakeError } from './errors/IntakeError.js';
import { networkCause } from './network-cause.js';
import { sleep } from './sleep.js';

/** How the intake endpoints are read. */
export interface IntakeOptions {
  /** Aborts the reads (the worker is stopping). */
  readonly signal: AbortSignal;
  /** Told of every failed attempt that will be tried again, so a wait is never silent. */
  readonly onRetry?: (notice: string) => void;
  /**
   * The waits between attempts: one more attempt than waits.
   * @default [1000, 2000, 4000, 8000]
   */
  readonly retryDelaysMs?: readonly number[];
  /**
   * How long one request may take.
   * @default 30000
   */
  readonly timeoutMs?: number;
}

/**
 * Reads one intake endpoint, with a few spaced retries: intake happens rarely, so a short outage should not end
 * the run.
 *
 * @throws IntakeError naming the URL and the last cause (`connect ECONNREFUSED …`, `HTTP 503`, a TLS or DNS error).
 */
async function getJson(url: string, options: IntakeOptions): Promise<unknown> {
  const { signal, onRetry, retryDelaysMs = [1_000, 2_000, 4_000, 8_000], timeoutMs = 30_000 } = options;
  const attempts = retryDelaysMs.length + 1;
  let cause = '';
  for (let attempt = 1; attempt <= attempts; attempt++) {
    try {
      const response = await fetch(url, { signal: AbortSignal.any([signal, AbortSignal.timeout(timeoutMs)]) });
      if (response.ok) return await response.json();
      cause = `HTTP ${response.status}`;
      if (response.status < 500 && response.status !== 429) break;
    } catch (error) {
      if (signal.aborted) throw error;
      cause = networkCause(error, timeoutMs);
    }
    const delayMs = retryDelaysMs[attempt - 1];
    if (delayMs === undefined) break;
    onRetry?.(`GET ${url}: ${cause}; attempt ${attempt} of ${attempts}, next in ${delayMs / 1000}s`);
    await sleep(delayMs, signal);
    if (signal.aborted) throw signal.reason;
  }
  throw new IntakeError(`GET ${url}: ${cause}`);
}

/** The campaigns waiting for a worker (`GET /api/campaigns?state=ready`), checked against the contract. */
export async function readyCampaigns(serverUrl: string, options: IntakeOptions): Promise<Campaign[]> {
  const body = await getJson(`${serverUrl}/api/campaigns?state=ready`, options);
  return parse(campaignList, body, 'GET /api/campaigns answer').campaigns;
}

/** Every recipient of a campaign, page by page. */
export async function recipientsOf(
  serverUrl: string,
  campaignId: string,
  options: IntakeOptions,
): Promise<Recipient[]> {
  const recipients: Recipient[] = [];
  let cursor: string | null = '';
  while (cursor !== null) {
    const path: string = `/api/campaigns/${encodeURIComponent(campaignId)}/recipients?cursor=${cursor}`;
    const page: { recipients: Recipient[]; nextCursor: string | null } = parse(
      recipientPage,
      await getJson(`${serverUrl}${path}`, options),
      `GET ${path} answer`,
    );
    recipients.push(...page.recipients);
    cursor = page.nextCursor;
  }
  return recipients;
}
