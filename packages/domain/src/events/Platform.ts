import { Schema } from "effect"

/** Platforms the SDK detects today; kept for documentation and dashboards. */
export const KNOWN_PLATFORMS = ["chatgpt", "claude", "cursor", "vscode", "windsurf", "unknown"] as const
export type KnownPlatform = (typeof KNOWN_PLATFORMS)[number]

/**
 * The MCP host the event came from. An open string: a newer SDK (or a custom
 * `platformStrategies` entry) may report a platform this server has never heard of.
 */
export const Platform = Schema.String.annotations({
  description: `the MCP host, e.g. ${KNOWN_PLATFORMS.join(", ")}`,
  examples: [...KNOWN_PLATFORMS],
})
export type Platform = typeof Platform.Type
