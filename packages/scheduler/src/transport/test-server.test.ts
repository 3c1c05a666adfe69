import { describe, expect, it } from 'vitest';
import { createHttpTransport } from './http.js';
import { serverPerTest, twoCampaigns } from './test-server.js';

const server = serverPerTest();

describe('serverPerTest', () => {
  // A request a test leaves behind (a retry still to come when it ends) is sent once the next test has begun.
  let release: () => void = () => undefined;
  let leftOver: Promise<unknown> = Promise.resolve();

  it('gives a test a server whose log is its own (a request is left to go after this test)', async () => {
    const { url, signal } = server;
    const nextTestBegun = new Promise<void>((resolve) => {
      release = resolve;
    });
    leftOver = nextTestBegun.then(() => createHttpTransport({ baseUrl: url })(twoCampaigns, { signal }));
    await createHttpTransport({ baseUrl: url })(twoCampaigns, { signal });
    expect(server.received).toHaveLength(1);
  });

  it('never shows a test the requests of the one before', async () => {
    release();
    await expect(leftOver).rejects.toThrow('the test that sent this request has ended');
    expect(server.received).toEqual([]);
  });
});
