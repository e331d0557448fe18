import { Schema } from "effect"

export const API_KEY_PREFIX = "yav_"

/** A project API key: `yav_` + 32 random URL-safe characters. */
export const ApiKey = Schema.String.pipe(Schema.pattern(/^yav_[A-Za-z0-9_-]{32}$/), Schema.brand("ApiKey"))
export type ApiKey = typeof ApiKey.Type
