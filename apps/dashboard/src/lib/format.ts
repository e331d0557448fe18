/** Dates as §5.7 shows them: `Feb 14, 2026`; times `Feb 14, 10:32 AM`; under 24 h relative. */
export const shortDate = (date: Date): string =>
  date.toLocaleDateString("en-US", { month: "short", day: "numeric", year: "numeric" })

export const whenSeen = (date: Date | null): string => {
  if (date === null) return "Never"
  const ms = Date.now() - date.getTime()
  if (ms >= 0 && ms < 60_000) return "just now"
  if (ms >= 0 && ms < 3_600_000) return `${Math.floor(ms / 60_000)}m ago`
  if (ms >= 0 && ms < 86_400_000) return `${Math.floor(ms / 3_600_000)}h ago`
  return date.toLocaleString("en-US", { month: "short", day: "numeric", hour: "numeric", minute: "2-digit" })
}
