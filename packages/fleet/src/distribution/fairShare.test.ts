import { describe, expect, it } from 'vitest';
import { fairShare, jainIndex } from './fairShare.js';

describe('fairShare', () => {
  it('is the campaigns over the members, rounded up, between 1 and max', () => {
    expect(fairShare({ campaigns: 10, members: 4, max: 50 })).toBe(3);
    expect(fairShare({ campaigns: 0, members: 4, max: 50 })).toBe(1);
    expect(fairShare({ campaigns: 100, members: 1, max: 50 })).toBe(50);
    expect(fairShare({ campaigns: 6, members: 0, max: 50 })).toBe(6);
  });

  it('leaves room for every campaign over the members', () => {
    for (let campaigns = 0; campaigns < 60; campaigns++) {
      for (let members = 1; members < 12; members++) {
        expect(fairShare({ campaigns, members, max: 1_000 }) * members).toBeGreaterThanOrEqual(campaigns);
      }
    }
  });
});

describe('jainIndex', () => {
  it('is 1 for equal shares and 1/n for one holding everything', () => {
    expect(jainIndex([3, 3, 3])).toBe(1);
    expect(jainIndex([6, 0, 0])).toBeCloseTo(1 / 3);
    expect(jainIndex([0, 0])).toBe(1);
  });
});
