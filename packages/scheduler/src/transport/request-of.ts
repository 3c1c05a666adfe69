import { describeValue } from '../common/check.js';
import { BatchEncodingError } from '../errors/BatchEncodingError.js';
import type { Batch } from '../types.js';
import { type CheckedHttpOptions, resolveLegacyUrl } from './http-options.js';

/** One batch as the request that carries it. */
export interface BatchRequest {
  readonly url: string;
  readonly method: 'POST' | 'PUT';
  /** The JSON body, encoded once: a redirect that is followed sends the same bytes. */
  readonly body: string;
  /** The events the batch carries: a bulk answer cannot have accepted more. */
  readonly eventCount: number;
  /** Headers of its own: the legacy shape sends the campaign's owner epoch as `X-Owner-Epoch`. */
  readonly headers: Readonly<Record<string, string>>;
}

/** What a batch id must be to travel as `Idempotency-Key`: the contract's identifier. */
const IDENTIFIER = /^[\x21-\x7e]{1,200}$/;

/**
 * The request for a batch under the transport's shape, its body encoded.
 * @throws TypeError for a legacy-shape batch of several campaigns or of both kinds; BatchEncodingError when the
 * batch cannot be written as a request: its body cannot be encoded, its id cannot be a header, or `urls` gives no
 * http(s) URL for its campaign (so the scheduler dead-letters it, with the reason, instead of retrying it forever).
 */
export function requestOf(options: CheckedHttpOptions, batch: Batch): BatchRequest {
  const { batchId, workerId, campaigns } = batch;
  if (typeof batchId !== 'string' || !IDENTIFIER.test(batchId)) {
    throw new BatchEncodingError(
      campaigns.map((update) => update.campaignId),
      new TypeError(
        `Expected \`batch.batchId\` to be 1 to 200 printable ASCII characters (it is sent as Idempotency-Key), got ${describeValue(batchId)}`,
      ),
    );
  }
  const eventCount = campaigns.reduce((sum, update) => sum + update.events.length, 0);
  if (options.shape === 'bulk') {
    const parts = campaigns.map(({ campaignId, events, status, ownerEpoch }) => ({
      campaignId,
      part: {
        campaignId,
        events,
        ...(status === undefined ? {} : { status }),
        ...(ownerEpoch === undefined ? {} : { ownerEpoch }),
      },
    }));
    const body = encode({ workerId, batchId, campaigns: parts.map(({ part }) => part) }, parts);
    return { url: new URL('api/updates', options.base).href, method: 'POST', body, eventCount, headers: {} };
  }
  const [only, extra] = campaigns;
  if (only === undefined || extra !== undefined || only.events.length > 0 === (only.status !== undefined)) {
    throw new TypeError('A legacy-shape batch holds one campaign with events or a status, not both');
  }
  const { campaignId } = only;
  const headers = only.ownerEpoch === undefined ? {} : { 'x-owner-epoch': String(only.ownerEpoch) };
  if (only.status !== undefined) {
    const url = legacyUrl('urls.status', campaignId, options);
    const body = encode(only.status, [{ campaignId, part: only.status }]);
    return { url, method: 'PUT', body, eventCount, headers };
  }
  const url = legacyUrl('urls.events', campaignId, options);
  const events = { events: only.events };
  return { url, method: 'POST', body: encode(events, [{ campaignId, part: events }]), eventCount, headers };
}

/** A legacy endpoint's URL for a campaign; what `urls` cannot give is a batch that cannot be written. */
function legacyUrl(name: 'urls.events' | 'urls.status', campaignId: string, options: CheckedHttpOptions): string {
  try {
    const value = name === 'urls.status' ? options.urls.status(campaignId) : options.urls.events(campaignId);
    return resolveLegacyUrl(name, value, options.base);
  } catch (error) {
    throw new BatchEncodingError([campaignId], error);
  }
}

/**
 * `JSON.stringify(body)`, which must give a JSON object. When it throws (a cycle, a BigInt, a throwing `toJSON`)
 * or gives anything else, each campaign's part is encoded alone to name the campaigns at fault (all of them when
 * no part fails alone).
 */
function encode(body: object, parts: readonly { campaignId: string; part: object }[]): string {
  const whole = tryEncode(body);
  if (typeof whole === 'string') return whole;
  const failed = parts.flatMap(({ campaignId, part }) => {
    const alone = tryEncode(part);
    return typeof alone === 'string' ? [] : [{ campaignId, cause: alone.cause }];
  });
  const [first] = failed;
  if (first === undefined)
    throw new BatchEncodingError(
      parts.map((p) => p.campaignId),
      whole.cause,
    );
  throw new BatchEncodingError(
    failed.map((f) => f.campaignId),
    first.cause,
  );
}

function tryEncode(value: object): string | { cause: unknown } {
  let text: string | undefined;
  try {
    text = JSON.stringify(value);
  } catch (cause) {
    return { cause };
  }
  if (typeof text === 'string' && text.startsWith('{')) return text;
  const got = typeof text === 'string' ? `\`${text.slice(0, 40)}\`` : 'nothing';
  return { cause: new TypeError(`JSON.stringify gave ${got} where a JSON object was expected`) };
}
