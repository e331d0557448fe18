import { describe, expect, it } from "vitest"
import { BoundedQueue } from "../src/core/queue.js"

describe("BoundedQueue", () => {
  it("is FIFO and drops the oldest when full", () => {
    const queue = new BoundedQueue<number>(3)
    expect([1, 2, 3].map((n) => queue.push(n))).toEqual([0, 0, 0])
    expect(queue.push(4)).toBe(1)
    expect(queue.size).toBe(3)
    expect(queue.peek()).toBe(2)
    expect([queue.shift(), queue.shift(), queue.shift(), queue.shift()]).toEqual([2, 3, 4, undefined])
    expect(queue.size).toBe(0)
  })

  it("stays correct across compaction", () => {
    const queue = new BoundedQueue<number>(10_000)
    let next = 0
    let expected = 0
    for (let round = 0; round < 50; round++) {
      for (let i = 0; i < 700; i++) queue.push(next++)
      for (let i = 0; i < 600; i++) expect(queue.shift()).toBe(expected++)
    }
    expect(queue.size).toBe(next - expected)
    expect(queue.clear()).toBe(next - expected)
    expect(queue.size).toBe(0)
  })

  it("rejects a capacity below 1", () => {
    expect(() => new BoundedQueue(0)).toThrow(RangeError)
  })
})
