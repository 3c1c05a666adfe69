// Tiny fetch wrapper. We retry a couple of times because the main server drops connections during deploys.
const RETRIES = 3;
const RETRY_DELAY_MS = 500;

const wait = (ms) => new Promise((r) => setTimeout(r, ms));

export async function request(method, url, body) {
  let lastError;
  for (let i = 0; i < RETRIES; i++) {
    try {
      const res = await fetch(url, {
        method,
        headers: { 'content-type': 'application/json', 'x-worker': 'drip-worker' },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      if (!res.ok) throw new Error(`${method} ${url} -> HTTP ${res.status}`);
      const text = await res.text();
      return text ? JSON.parse(text) : null;
    } catch (err) {
      lastError = err;
      await wait(RETRY_DELAY_MS);
    }
  }
  // don't throw: losing one update is better than stopping the campaign
  console.error('request failed for good:', lastError && lastError.message);
  return null;
}
