import { describe, expect, it } from 'vitest';
import { fingerprint } from '../src/index.js';

describe('fingerprint', () => {
  it('is the same for the same content whatever the key order, and differs for other content', () => {
    const a = { workerId: 'w', batchId: 'b', campaigns: [{ campaignId: 'c', events: [{ recipientId: 'r' }] }] };
    const b = { campaigns: [{ events: [{ recipientId: 'r' }], campaignId: 'c' }], batchId: 'b', workerId: 'w' };
    expect(fingerprint(a)).toBe(fingerprint(b));
    expect(fingerprint({ ...a, workerId: 'w2' })).not.toBe(fingerprint(a));
    // Arrays keep their order: events in another order are another request.
    expect(fingerprint({ list: [1, 2] })).not.toBe(fingerprint({ list: [2, 1] }));
    expect(fingerprint({ x: undefined, y: 1 })).toBe(fingerprint({ y: 1 }));
    expect(fingerprint({ s: '1' })).not.toBe(fingerprint({ s: 1 }));
  });
});
