import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MinHeap } from './MinHeap.js';

describe('MinHeap', () => {
  it('pops by key, then by order, whatever the pushes and pops in between (property)', () => {
    const op = fc.oneof(
      fc.record({ push: fc.record({ key: fc.integer({ min: 0, max: 20 }), order: fc.integer({ min: 0, max: 1e6 }) }) }),
      fc.constant({ pop: true as const }),
    );
    fc.assert(
      fc.property(fc.array(op, { maxLength: 400 }), (ops) => {
        const heap = new MinHeap<{ key: number; order: number }>();
        const model: Array<{ key: number; order: number }> = [];
        for (const o of ops) {
          if ('push' in o) {
            heap.push(o.push);
            model.push(o.push);
          } else {
            model.sort((a, b) => a.key - b.key || a.order - b.order);
            const expected = model.shift();
            const got = heap.pop();
            expect(got === undefined ? undefined : [got.key, got.order]).toEqual(
              expected === undefined ? undefined : [expected.key, expected.order],
            );
          }
          expect(heap.size).toBe(model.length);
        }
      }),
    );
  });

  it('keeps only what retain says, in order', () => {
    const heap = new MinHeap<{ key: number; order: number }>();
    for (let i = 0; i < 200; i++) heap.push({ key: 200 - i, order: i });
    heap.retain((item) => item.key % 2 === 0);
    const popped: number[] = [];
    for (let item = heap.pop(); item !== undefined; item = heap.pop()) popped.push(item.key);
    expect(popped).toEqual(Array.from({ length: 100 }, (_, i) => 2 * (i + 1)));
  });
});
