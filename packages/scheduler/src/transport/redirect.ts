/** The most redirects one call follows. */
export const MAX_REDIRECTS = 5;

/** What to do with a 3xx answer: send the same request to `url`, or stop, the batch not acknowledged, and why. */
export type RedirectStep = { readonly follow: string } | { readonly stop: string };

/**
 * Decides a 3xx answer to a POST or PUT. Only 307 and 308 (which keep the method and the body) are followed, to an
 * http or https URL without credentials, never from https down to http, never back to a URL of the chain (a loop),
 * and at most {@link MAX_REDIRECTS} times. A 301, 302 or 303 (which would turn the request into a GET and drop its
 * body: typically a login page) and every other 3xx are not delivery.
 *
 * @param status the 3xx status
 * @param location the `Location` header, or null
 * @param visited the URLs requested so far in this call, the first request's first, the current one last
 */
export function redirectStep(status: number, location: string | null, visited: readonly string[]): RedirectStep {
  const current = visited[visited.length - 1] ?? '';
  const target = location !== null && URL.canParse(location, current) ? new URL(location, current) : undefined;
  const to = target === undefined ? describeLocation(location) : shorten(target.href);
  if (status !== 307 && status !== 308) {
    const why =
      status === 301 || status === 302 || status === 303
        ? 'a POST or PUT moved by it is not delivered (only 307 and 308 keep the method and body)'
        : 'an answer that is not an acknowledgement';
    return { stop: `redirected to ${to} by a ${status}: ${why}` };
  }
  if (target === undefined) return { stop: `a ${status} redirect to ${to}, which is not a URL to follow` };
  if (target.protocol !== 'http:' && target.protocol !== 'https:') {
    return { stop: `a ${status} redirect to ${to}, which is not http or https` };
  }
  if (target.username !== '' || target.password !== '') {
    return { stop: `a ${status} redirect to a URL with a user name or password (${target.host}), not followed` };
  }
  if (current.startsWith('https:') && target.protocol === 'http:') {
    return { stop: `a ${status} redirect from https down to http (${to}), not followed` };
  }
  target.hash = '';
  if (visited.includes(target.href)) {
    return { stop: `a redirect loop: a ${status} back to ${to} after ${visited.length - 1} redirect(s)` };
  }
  if (visited.length > MAX_REDIRECTS) {
    return { stop: `more than ${MAX_REDIRECTS} redirects: a ${status} to ${to}, not followed` };
  }
  return { follow: target.href };
}

function describeLocation(location: string | null): string {
  return location === null ? 'nowhere (no Location header)' : `${JSON.stringify(shorten(location))}`;
}

function shorten(text: string): string {
  return text.length > 200 ? `${text.slice(0, 200)}…` : text;
}
