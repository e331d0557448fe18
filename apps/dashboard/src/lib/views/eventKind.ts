/** §5.6: the stripe colour and text label of an event in the live feed and timelines. */
export type Stripe = "primary" | "info" | "success" | "error" | "secondary" | "muted" | "warning"

export const eventKind = (
  eventType: string,
  status?: string | null,
): { readonly stripe: Stripe; readonly label: string } => {
  if (status === "error") return { stripe: "error", label: "ERROR" }
  if (eventType === "tool_call") return { stripe: "primary", label: "TOOL" }
  if (eventType === "step") return { stripe: "info", label: "STEP" }
  if (eventType === "conversion") return { stripe: "success", label: "CONV" }
  if (eventType === "track") return { stripe: "warning", label: "TRACK" }
  if (eventType === "connection") return { stripe: "muted", label: "CONN" }
  if (eventType.startsWith("widget_") && eventType !== "widget_response")
    return { stripe: "secondary", label: "WIDGET" }
  if (eventType === "widget_error") return { stripe: "error", label: "ERROR" }
  return { stripe: "muted", label: eventType.toUpperCase() }
}

/** The metadata JSON of an event as sorted key/value pairs (nested values as JSON). */
export const metadataPairs = (
  metadata: string | null | Record<string, unknown>,
): Array<readonly [string, string]> => {
  if (metadata === null) return []
  let object: unknown = metadata
  if (typeof metadata === "string") {
    try {
      object = JSON.parse(metadata)
    } catch {
      return [["metadata", metadata]]
    }
  }
  if (typeof object !== "object" || object === null) return []
  return Object.entries(object as Record<string, unknown>)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([k, v]) => [k, typeof v === "string" ? v : JSON.stringify(v)] as const)
}
