/**
 * A bounded map with per-entry expiry. Recency is the Map's insertion order: a hit re-inserts
 * its entry, so the first key is always the least recently used one to evict.
 */
export class LruCache<K, V> {
  private readonly entries = new Map<K, { readonly value: V; readonly expiresAt: number }>()

  constructor(private readonly capacity: number) {}

  get(key: K, nowMs: number): V | undefined {
    const entry = this.entries.get(key)
    if (entry === undefined) return undefined
    this.entries.delete(key)
    if (entry.expiresAt <= nowMs) return undefined
    this.entries.set(key, entry)
    return entry.value
  }

  set(key: K, value: V, expiresAt: number): void {
    this.entries.delete(key)
    this.entries.set(key, { value, expiresAt })
    if (this.entries.size > this.capacity) {
      const oldest = this.entries.keys().next()
      if (!oldest.done) this.entries.delete(oldest.value)
    }
  }

  get size(): number {
    return this.entries.size
  }
}
