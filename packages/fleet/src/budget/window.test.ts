import { describe, expect, it } from 'vitest';
import { slidingWindow, trimWindow } from './window.js';

describe('slidingWindow', () => {
  it('grants while fewer than the limit lie in the last window', () => {
    expect(slidingWindow([], 0, 2, 1_000)).toEqual({ grant: true });
    expect(slidingWindow([0], 10, 2, 1_000)).toEqual({ grant: true });
    expect(slidingWindow([0, 100], 150, 2, 1_000)).toEqual({ grant: false, waitMs: 851 });
  });

  it('counts a grant exactly one window old as gone (windows are half-open)', () => {
    expect(slidingWindow([0, 100], 1_000, 2, 1_000)).toEqual({ grant: true });
    expect(slidingWindow([0, 100], 999, 2, 1_000)).toEqual({ grant: false, waitMs: 2 });
  });

  it('never grants with a limit of 0, and waits a window before asking again', () => {
    expect(slidingWindow([], 5, 0, 1_000)).toEqual({ grant: false, waitMs: 1_000 });
  });

  it('depends only on differences of times, so a skewed clock decides the same', () => {
    for (const skew of [-5_000, 0, 5_000]) {
      expect(slidingWindow([skew, skew + 100], skew + 150, 2, 1_000)).toEqual({ grant: false, waitMs: 851 });
    }
  });

  it('trimWindow keeps only the grants inside the last window', () => {
    const grants = [0, 100, 900, 1_100];
    trimWindow(grants, 1_100, 1_000);
    expect(grants).toEqual([900, 1_100]);
  });
});
