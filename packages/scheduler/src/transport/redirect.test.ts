import { describe, expect, it } from 'vitest';
import { redirectStep } from './redirect.js';

describe('redirectStep', () => {
  it('follows a 307 or 308 to a relative or absolute http(s) URL, without its fragment', () => {
    expect(redirectStep(307, '/v2#top', ['https://a.example/api/updates'])).toEqual({ follow: 'https://a.example/v2' });
    expect(redirectStep(308, 'https://b.example/x', ['http://a.example/'])).toEqual({ follow: 'https://b.example/x' });
  });

  it('does not go from https down to http', () => {
    expect(redirectStep(308, 'http://a.example/api/updates', ['https://a.example/api/updates'])).toEqual({
      stop: 'a 308 redirect from https down to http (http://a.example/api/updates), not followed',
    });
  });

  it('counts the hops of the chain', () => {
    const chain = ['http://a/0', 'http://a/1', 'http://a/2', 'http://a/3', 'http://a/4'];
    expect(redirectStep(307, '/5', chain)).toEqual({ follow: 'http://a/5' });
    expect(redirectStep(307, '/6', [...chain, 'http://a/5'])).toEqual({
      stop: 'more than 5 redirects: a 307 to http://a/6, not followed',
    });
  });

  it('names a long Location by its start', () => {
    const step = redirectStep(302, `/login?${'x'.repeat(500)}`, ['http://a/']);
    expect('stop' in step && step.stop).toMatch(/^redirected to http:\/\/a\/login\?x{185}… by a 302/);
  });
});
