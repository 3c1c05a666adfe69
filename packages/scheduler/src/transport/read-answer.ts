/** The most of an answer body that is read: 1 MiB. A bigger one is cut off there and is no acknowledgement. */
export const MAX_ANSWER_BYTES = 1_048_576;

/** An answer body as text, and whether it was cut off at the limit. */
export interface AnswerBody {
  /** What was read, decoded as UTF-8 (a byte-order mark dropped). */
  readonly text: string;
  /** True when the body was bigger than the limit: it was not read in full, and its stream was cancelled. */
  readonly tooLarge: boolean;
}

/**
 * Reads an answer body up to `limit` bytes. One that declares a bigger `Content-Length` is not read at all; one
 * that grows past the limit is read no further. Either way its stream is cancelled, which frees the connection.
 * A rejection (the request aborted while the body streams) passes through.
 */
export async function readAnswer(response: Response, limit = MAX_ANSWER_BYTES): Promise<AnswerBody> {
  const declared = Number(response.headers.get('content-length') ?? Number.NaN);
  if (declared > limit) {
    await discard(response);
    return { text: '', tooLarge: true };
  }
  if (response.body === null) return { text: '', tooLarge: false };
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  let tooLarge = false;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    if (size + value.byteLength > limit) {
      chunks.push(value.subarray(0, limit - size));
      tooLarge = true;
      await reader.cancel().catch(() => undefined);
      break;
    }
    chunks.push(value);
    size += value.byteLength;
  }
  const decoder = new TextDecoder();
  const text = chunks.map((chunk) => decoder.decode(chunk, { stream: true })).join('') + decoder.decode();
  return { text, tooLarge };
}

/** Drops an answer body unread (a redirect's), so its connection can be reused or closed. */
export async function discard(response: Response): Promise<void> {
  await response.body?.cancel().catch(() => undefined);
}
