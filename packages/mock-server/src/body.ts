/** A request body read under a limit: its text, or how far it got before it went over. */
export type BodyRead =
  | { readonly ok: true; readonly text: string; readonly bytes: number }
  | { readonly ok: false; readonly bytes: number };

/**
 * Reads a request body, counting its bytes as they stream in: a body over `limit` bytes is refused as soon as it
 * goes over (or at once, when its `Content-Length` says so), so at most `limit` bytes of it are ever held.
 *
 * @example
 * ```ts
 * const read = await readBody(request, 1_048_576);
 * if (!read.ok) return refuse(413, `body: expected at most 1048576 bytes, got more`);
 * ```
 */
export async function readBody(request: Request, limit: number): Promise<BodyRead> {
  const declared = request.headers.get('content-length');
  if (declared !== null && /^\d+$/.test(declared) && Number(declared) > limit) return { ok: false, bytes: 0 };
  if (request.body === null) return { ok: true, text: '', bytes: 0 };
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let bytes = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    bytes += value.byteLength;
    if (bytes > limit) {
      // Not awaited: a tee'd body (msw clones each request) settles its cancel only once every branch let go.
      reader.cancel().catch(() => {});
      return { ok: false, bytes };
    }
    chunks.push(value);
  }
  return { ok: true, text: new TextDecoder().decode(concat(chunks, bytes)), bytes };
}

function concat(chunks: readonly Uint8Array[], bytes: number): Uint8Array {
  if (chunks.length === 1) return chunks[0] as Uint8Array;
  const all = new Uint8Array(bytes);
  let offset = 0;
  for (const chunk of chunks) {
    all.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return all;
}
