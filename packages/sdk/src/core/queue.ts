/**
 * A FIFO with a capacity: pushing onto a full queue drops the oldest item (sdk.md §6.1).
 * O(1) push and shift, without `Array.prototype.shift`'s copying.
 */
export class BoundedQueue<T> {
  private items: Array<T | undefined> = []
  private head = 0

  constructor(readonly capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1)
      throw new RangeError("capacity must be a positive integer")
  }

  get size(): number {
    return this.items.length - this.head
  }

  /** Appends `item`; returns how many of the oldest items were dropped to make room (0 or 1). */
  push(item: T): number {
    let dropped = 0
    if (this.size >= this.capacity) {
      this.shift()
      dropped = 1
    }
    this.items.push(item)
    return dropped
  }

  peek(): T | undefined {
    return this.size > 0 ? this.items[this.head] : undefined
  }

  shift(): T | undefined {
    if (this.size === 0) return undefined
    const item = this.items[this.head]
    this.items[this.head] = undefined
    this.head++
    if (this.head >= 1024 && this.head * 2 >= this.items.length) {
      this.items = this.items.slice(this.head)
      this.head = 0
    }
    return item
  }

  /** Removes everything; returns how many items were dropped. */
  clear(): number {
    const size = this.size
    this.items = []
    this.head = 0
    return size
  }
}
