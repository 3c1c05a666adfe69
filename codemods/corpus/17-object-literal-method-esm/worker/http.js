export async function postJson(url, body, { method = 'POST', retries = 2 } = {}) {
  for (let i = 0; i <= retries; i++) {
    try {
      const response = await fetch(url, { method, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
      if (response.ok) return response;
    } catch (error) {
      if (i === retries) console.error(`postJson ${url}: ${error.message}`);
    }
  }
  return undefined;
}
