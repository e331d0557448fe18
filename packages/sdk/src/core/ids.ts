/**
 * Ids without dependencies (sdk.md §1): `event_id` is a UUID v4 from `crypto.randomUUID()`;
 * trace and session ids are a prefix plus 21 URL-safe random characters from
 * `crypto.getRandomValues`. Works wherever `globalThis.crypto` exists (Node 20+, browsers).
 */

/** 64 URL-safe characters: a random byte masked to 6 bits picks one uniformly. */
const URL_SAFE_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-"

/** Length of the random part of trace and session ids. */
export const RANDOM_ID_LENGTH = 21

// Random bytes are drawn in blocks: one getRandomValues call serves ~195 ids, which keeps id
// creation off the tool-call overhead budget (sdk.md §8).
const POOL_SIZE = RANDOM_ID_LENGTH * 195
let pool: Uint8Array | undefined
let poolOffset = POOL_SIZE

const randomPart = (): string => {
  if (pool === undefined || poolOffset + RANDOM_ID_LENGTH > POOL_SIZE) {
    pool ??= new Uint8Array(POOL_SIZE)
    globalThis.crypto.getRandomValues(pool)
    poolOffset = 0
  }
  let id = ""
  for (let i = poolOffset; i < poolOffset + RANDOM_ID_LENGTH; i++) {
    id += URL_SAFE_ALPHABET[pool[i]! & 63]
  }
  poolOffset += RANDOM_ID_LENGTH
  return id
}

/** A UUID v4 for `event_id`; ingest deduplicates retried batches by it. */
export const newEventId = (): string => globalThis.crypto.randomUUID()

/** `tr_` + 21 URL-safe characters. */
export const newTraceId = (): string => `tr_${randomPart()}`

/** `ses_` + 21 URL-safe characters. */
export const newSessionId = (): string => `ses_${randomPart()}`
