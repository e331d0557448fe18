/**
 * A token bucket: `capacity` tokens, refilled continuously at `ratePerSecond`. Time is passed
 * in, so the arithmetic is testable without a clock and one `Date.now()` serves a request.
 */
export class TokenBucket {
  private tokens: number
  private updatedAt: number

  constructor(
    readonly ratePerSecond: number,
    readonly capacity: number,
    nowMs: number,
  ) {
    this.tokens = capacity
    this.updatedAt = nowMs
  }

  private refill(nowMs: number): void {
    const elapsed = Math.max(0, nowMs - this.updatedAt) / 1000
    this.tokens = Math.min(this.capacity, this.tokens + elapsed * this.ratePerSecond)
    this.updatedAt = nowMs
  }

  /** Takes `n` tokens if there are enough; otherwise takes none and says how long to wait. */
  take(
    n: number,
    nowMs: number,
  ): { readonly ok: true } | { readonly ok: false; readonly retryAfterSeconds: number } {
    this.refill(nowMs)
    if (this.tokens >= n) {
      this.tokens -= n
      return { ok: true }
    }
    const missing = Math.min(n, this.capacity) - this.tokens
    return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil(missing / this.ratePerSecond)) }
  }

  /** Whether at least one token is left, without taking it. */
  hasToken(nowMs: number): boolean {
    this.refill(nowMs)
    return this.tokens >= 1
  }

  /** A full bucket that has not been touched is indistinguishable from a new one: it can go. */
  isIdle(nowMs: number): boolean {
    this.refill(nowMs)
    return this.tokens >= this.capacity
  }
}
