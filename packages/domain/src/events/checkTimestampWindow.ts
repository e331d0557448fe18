/** Oldest accepted event: 30 days before server time (our decision, ingest spec). */
export const TIMESTAMP_MAX_AGE_MS = 30 * 24 * 60 * 60 * 1000
/** Newest accepted event: 10 minutes after server time, for client clock skew. */
export const TIMESTAMP_MAX_FUTURE_MS = 10 * 60 * 1000

/** `YAVIO-2113` when `timestamp` is outside −30 days … +10 minutes of `now` (bounds inclusive), else null. */
export const checkTimestampWindow = (timestamp: Date, now: Date): "YAVIO-2113" | null => {
  const at = timestamp.getTime()
  const reference = now.getTime()
  return at >= reference - TIMESTAMP_MAX_AGE_MS && at <= reference + TIMESTAMP_MAX_FUTURE_MS
    ? null
    : "YAVIO-2113"
}
