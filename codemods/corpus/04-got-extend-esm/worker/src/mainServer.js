import got from 'got';

let client;

/** The main-server client; created on first use so tests can set MAIN_URL first. */
export function mainServer() {
  if (!client) {
    client = got.extend({
      prefixUrl: process.env.MAIN_URL,
      responseType: 'json',
      timeout: { request: 10_000 },
      retry: {
        limit: 2,
        methods: ['POST', 'PUT'],
        statusCodes: [408, 429, 500, 502, 503, 504],
      },
      hooks: {
        beforeRetry: [
          (error, retryCount) => {
            console.warn(`main server: retry #${retryCount} after ${error.code || error.message}`);
          },
        ],
        afterResponse: [
          (response) => {
            if (process.env.DEBUG_MAIN) console.debug(`main server: ${response.statusCode} ${response.url}`);
            return response;
          },
        ],
      },
    });
  }
  return client;
}
