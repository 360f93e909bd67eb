/** A node of {@link WaiterQueue}; the queue owns the links. */
export interface WaiterNode<T> {
  readonly value: T;
  prev: WaiterNode<T> | undefined;
  next: WaiterNode<T> | undefined;
  /** False once shifted or removed, so a late timeout cannot remove it twice. */
  queued: boolean;
}

/**
 * A FIFO with O(1) push, shift and removal of any node: parked callers leave from the head when
 * a permit frees up, or from the middle when their timeout or abort fires first.
 */
export class WaiterQueue<T> {
  #head: WaiterNode<T> | undefined;
  #tail: WaiterNode<T> | undefined;
  #size = 0;

  /** How many nodes are queued. */
  get size(): number {
    return this.#size;
  }

  /** Appends `value` and returns its node, for {@link WaiterQueue.remove}. */
  push(value: T): WaiterNode<T> {
    const node: WaiterNode<T> = { value, prev: this.#tail, next: undefined, queued: true };
    if (this.#tail) this.#tail.next = node;
    else this.#head = node;
    this.#tail = node;
    this.#size += 1;
    return node;
  }

  /** Removes and returns the oldest value. */
  shift(): T | undefined {
    const node = this.#head;
    if (!node) return undefined;
    this.remove(node);
    return node.value;
  }

  /** Takes `node` out of the queue; harmless when it already left. */
  remove(node: WaiterNode<T>): void {
    if (!node.queued) return;
    node.queued = false;
    if (node.prev) node.prev.next = node.next;
    else this.#head = node.next;
    if (node.next) node.next.prev = node.prev;
    else this.#tail = node.prev;
    node.prev = undefined;
    node.next = undefined;
    this.#size -= 1;
  }
}
