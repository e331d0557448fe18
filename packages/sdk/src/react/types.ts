/**
 * The public types of `@yavio/sdk/react` (sdk.md §7.1). Plain TypeScript: nothing here refers to
 * Effect, MCP or Node.
 */

/** What a widget needs to send its events: the server puts it in the tool result's `_meta.yavio`. */
export interface WidgetConfig {
  /** The short-lived widget JWT minted by ingest for this trace (never the project API key). */
  readonly token: string
  /** Where batches are POSTed: `{ingest}/v1/events`. */
  readonly endpoint: string
  /** `tr_…`: the tool call that rendered the widget; every widget event carries it. */
  readonly traceId: string
  /** `ses_…`: the MCP session, shared with the server's events. */
  readonly sessionId: string
  /** The trace's next `step_sequence`, so widget steps continue the server's count (our decision). */
  readonly stepOffset?: number
}

export interface ConversionOptions {
  readonly value: number
  /** ISO 4217, upper-cased before sending. */
  readonly currency: string
  readonly meta?: Record<string, unknown>
}

/**
 * What `useYavio()` returns. Every method is synchronous, returns nothing and never throws;
 * without configuration they do nothing at all (no-op mode, sdk.md §7.3).
 */
export interface YavioWidget {
  readonly identify: (userId: string, traits?: Record<string, unknown>) => void
  readonly step: (name: string, meta?: Record<string, unknown>) => void
  readonly track: (event: string, properties?: Record<string, unknown>) => void
  readonly conversion: (name: string, options: ConversionOptions) => void
}

/** An event as it goes on the wire (`events.md` field names). */
export type WidgetEvent = Record<string, unknown>
