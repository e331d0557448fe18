import { Schema } from "effect"

/** A minted widget token and when it expires (ISO-8601). */
export const WidgetTokenResponse = Schema.Struct({
  token: Schema.String,
  expiresAt: Schema.String,
})
export type WidgetTokenResponse = typeof WidgetTokenResponse.Type
