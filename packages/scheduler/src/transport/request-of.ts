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
}

/** What a batch id must be to travel as `Idempotency-Key`: the contract's identifier. */
const IDENTIFIER = /^[\x21-\x7e]{1,200}$/;

/**
 * The request for a batch under the transport's shape, its body encoded.
 * @throws TypeError for a legacy-shape batch of several campaigns or of both kinds, a batch id that cannot be a
 * header, or a legacy URL that is not http(s); BatchEncodingError when the body cannot be encoded.
 */
export function requestOf(options: CheckedHttpOptions, batch: Batch): BatchRequest {
  const { batchId, workerId, campaigns } = batch;
  if (typeof batchId !== 'string' || !IDENTIFIER.test(batchId)) {
    throw new TypeError(
      `Expected \`batch.batchId\` to be 1 to 200 printable ASCII characters (it is sent as Idempotency-Key), got ${describeValue(batchId)}`,
    );
  }
  const eventCount = campaigns.reduce((sum, update) => sum + update.events.length, 0);
  if (options.shape === 'bulk') {
    const parts = campaigns.map(({ campaignId, events, status }) => ({
      campaignId,
      part: status === undefined ? { campaignId, events } : { campaignId, events, status },
    }));
    const body = encode({ workerId, batchId, campaigns: parts.map(({ part }) => part) }, parts);
    return { url: new URL('api/updates', options.base).href, method: 'POST', body, eventCount };
  }
  const [only, extra] = campaigns;
  if (only === undefined || extra !== undefined || only.events.length > 0 === (only.status !== undefined)) {
    throw new TypeError('A legacy-shape batch holds one campaign with events or a status, not both');
  }
  const { campaignId } = only;
  if (only.status !== undefined) {
    const url = resolveLegacyUrl('urls.status', options.urls.status(campaignId), options.base);
    return { url, method: 'PUT', body: encode(only.status, [{ campaignId, part: only.status }]), eventCount };
  }
  const url = resolveLegacyUrl('urls.events', options.urls.events(campaignId), options.base);
  const events = { events: only.events };
  return { url, method: 'POST', body: encode(events, [{ campaignId, part: events }]), eventCount };
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
