import { describe, expect, it } from 'vitest';
import { createHttpTransport } from './http.js';

const base = 'http://127.0.0.1:1';

describe('createHttpTransport options', () => {
  it.each([
    [{}, TypeError, 'Expected `baseUrl` to be an absolute http or https URL, got `undefined` (undefined)'],
    [
      { baseUrl: 'main-server' },
      TypeError,
      'Expected `baseUrl` to be an absolute http or https URL, got `"main-server"` (string)',
    ],
    [
      { baseUrl: 'ftp://files.example.com/' },
      TypeError,
      'Expected `baseUrl` to be an absolute http or https URL, got `"ftp://files.example.com/"` (string)',
    ],
    [{ baseUrl: 'file:///srv/updates' }, TypeError, 'Expected `baseUrl` to be an absolute http or https URL'],
    [
      { baseUrl: 'https://worker:s3cret@main.example.com' },
      TypeError,
      'Expected `baseUrl` to carry no user name or password (send credentials in `headers`), got `"https://***:***@main.example.com/"` (string)',
    ],
    [
      { baseUrl: 'https://main.example.com/?token=t' },
      TypeError,
      'Expected `baseUrl` to have no query or fragment (the transport appends paths to it), got `"https://main.example.com/?token=t"` (string)',
    ],
    [{ baseUrl: base, shape: 'batch' }, TypeError, 'Expected `shape` to be "bulk" or "legacy", got `"batch"` (string)'],
    [
      { baseUrl: base, timeoutMs: 0 },
      RangeError,
      'Expected `timeoutMs` to be an integer from 1 to 2147483647, got `0` (number)',
    ],
    [
      { baseUrl: base, timeoutMs: 3_000_000_000 },
      RangeError,
      'Expected `timeoutMs` to be an integer from 1 to 2147483647, got `3000000000` (number)',
    ],
    [
      { baseUrl: base, timeoutMs: 1.5 },
      RangeError,
      'Expected `timeoutMs` to be an integer from 1 to 2147483647, got `1.5` (number)',
    ],
    [{ baseUrl: base, timeoutMs: '10s' }, TypeError, 'Expected `timeoutMs` to be a number, got `"10s"` (string)'],
    [
      { baseUrl: base, urls: { events: '/e' } },
      TypeError,
      'Expected `urls.events` to be a function, got `"/e"` (string)',
    ],
    [{ baseUrl: base, urls: { event: () => '/e' } }, TypeError, 'Unknown option `urls.event`'],
    [{ baseUrl: base, fetch: 'fetch' }, TypeError, 'Expected `fetch` to be a function'],
    [
      { baseUrl: base, headers: new Headers({ a: 'b' }) },
      TypeError,
      'Expected `headers` to be a plain object of names and values, got `object` (object)',
    ],
    [{ baseUrl: base, headers: { 'x-n': 1 } }, TypeError, 'Expected `headers.x-n` to be a string, got `1` (number)'],
    [
      { baseUrl: base, headers: { 'x-a': 'a\r\nx-injected: 1' } },
      TypeError,
      'Expected `headers.x-a` to be Latin-1 text without CR, LF or NUL, got `"a\\r\\nx-injected: 1"` (string)',
    ],
    [
      { baseUrl: base, headers: { 'x-a': 'a\nb' } },
      TypeError,
      'Expected `headers.x-a` to be Latin-1 text without CR, LF or NUL',
    ],
    [
      { baseUrl: base, headers: { 'x-a': 'a\0b' } },
      TypeError,
      'Expected `headers.x-a` to be Latin-1 text without CR, LF or NUL',
    ],
    [
      { baseUrl: base, headers: { 'x-a': 'price in €' } },
      TypeError,
      'Expected `headers.x-a` to be Latin-1 text without CR, LF or NUL',
    ],
    [
      { baseUrl: base, headers: { 'x bad': 'v' } },
      TypeError,
      'Expected the names in `headers` to be HTTP tokens (letters, digits and !#$%&\'*+-.^_`|~), got `"x bad"` (string)',
    ],
    [{ baseUrl: base, headers: { 'x-a:b': 'v' } }, TypeError, 'Expected the names in `headers` to be HTTP tokens'],
    [{ baseUrl: base, headers: { '': 'v' } }, TypeError, 'Expected the names in `headers` to be HTTP tokens'],
    [
      { baseUrl: base, headers: { 'Content-Type': 'text/plain' } },
      TypeError,
      'Expected `headers` not to set `Content-Type`: the transport sets content-type and idempotency-key, and fetch the framing headers (content-length, transfer-encoding, connection, keep-alive, expect, upgrade, te, trailer)',
    ],
    [
      { baseUrl: base, headers: { 'IDEMPOTENCY-KEY': 'k' } },
      TypeError,
      'Expected `headers` not to set `IDEMPOTENCY-KEY`',
    ],
    [
      { baseUrl: base, headers: { 'content-length': '10' } },
      TypeError,
      'Expected `headers` not to set `content-length`',
    ],
    [
      { baseUrl: base, headers: { Authorization: 'a', authorization: 'b' } },
      TypeError,
      'Expected `headers` to name each header once, got `Authorization` and `authorization`',
    ],
    [{ baseUrl: base, timeout: 5 }, TypeError, 'Unknown option `timeout`'],
    [null, TypeError, 'Expected `options` to be an object, got `null` (null)'],
  ])('refuses %o', (options, kind, message) => {
    expect(() => createHttpTransport(options as never)).toThrow(kind);
    expect(() => createHttpTransport(options as never)).toThrow(message);
  });

  it('takes headers with Latin-1 values, and options left undefined as their defaults', () => {
    const transport = createHttpTransport({
      baseUrl: 'https://main.example.com/v1',
      headers: { authorization: 'Bearer abc', 'x-name': 'Zoë', "x-odd!#$%&'*+.^_`|~": '1' },
      timeoutMs: 2_147_483_647,
      shape: undefined as never,
      urls: undefined as never,
    });
    expect(transport.shape).toBe('bulk');
  });
});
