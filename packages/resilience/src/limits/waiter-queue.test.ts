import { describe, expect, it } from '@jest/globals';
import { WaiterQueue } from './waiter-queue.js';

describe('WaiterQueue', () => {
  it('is first in, first out', () => {
    const queue = new WaiterQueue<number>();
    queue.push(1);
    queue.push(2);
    queue.push(3);
    expect(queue.size).toBe(3);
    expect([queue.shift(), queue.shift(), queue.shift(), queue.shift()]).toEqual([1, 2, 3, undefined]);
    expect(queue.size).toBe(0);
  });

  it('removes a node from the middle, the head or the tail, once', () => {
    const queue = new WaiterQueue<string>();
    const a = queue.push('a');
    const b = queue.push('b');
    const c = queue.push('c');
    const d = queue.push('d');
    queue.remove(b);
    queue.remove(b);
    queue.remove(a);
    queue.remove(d);
    expect(queue.size).toBe(1);
    expect(queue.shift()).toBe('c');
    queue.remove(c);
    expect(queue.size).toBe(0);
    queue.push('e');
    expect(queue.shift()).toBe('e');
  });
});
