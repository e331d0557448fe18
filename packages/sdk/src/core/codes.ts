/**
 * The SDK's slice of the YAVIO error catalog (error-codes.md, YAVIO-1000–1999), kept as plain
 * data because the SDK cannot depend on @yavio/domain. A test pins it to the domain catalog.
 */

import type { SdkLogLevel } from "./contracts.js"

export interface SdkCodeEntry {
  readonly level: SdkLogLevel
  readonly title: string
  /** What the developer can do about it; appended to the log line. */
  readonly fix?: string
}

export const SDK_CODES = {
  "YAVIO-1000": {
    level: "warn",
    title: "No API key found",
    fix: "Pass `apiKey` to withYavio(), set YAVIO_API_KEY, or run `yavio init`.",
  },
  "YAVIO-1001": {
    level: "warn",
    title: "Invalid API key format",
    fix: "API keys start with `yav_`: copy the key from the dashboard.",
  },
  "YAVIO-1002": {
    level: "warn",
    title: "Invalid endpoint URL",
    fix: "The endpoint must be an http(s) URL, e.g. http://localhost:3001.",
  },
  "YAVIO-1003": { level: "info", title: "Configuration loaded from .yaviorc.json" },
  "YAVIO-1004": {
    level: "warn",
    title: "Malformed .yaviorc.json",
    fix: "Fix the JSON in .yaviorc.json or run `yavio init` again.",
  },
  "YAVIO-1005": {
    level: "warn",
    title: "Unsupported .yaviorc.json version",
    fix: "Upgrade @yavio/sdk to read this .yaviorc.json version.",
  },
  "YAVIO-1100": { level: "error", title: "Proxy interception failed" },
  "YAVIO-1101": { level: "warn", title: "Platform detection failed" },
  "YAVIO-1102": { level: "warn", title: "Session ID derivation failed" },
  "YAVIO-1103": { level: "warn", title: "Widget token minting failed" },
  "YAVIO-1104": { level: "warn", title: "Widget config injection skipped" },
  "YAVIO-1105": { level: "warn", title: "Context unavailable" },
  "YAVIO-1106": { level: "warn", title: "Tool response inspection failed" },
  "YAVIO-1200": { level: "warn", title: "Event flush failed (retrying)" },
  "YAVIO-1201": { level: "error", title: "Event flush failed (max retries)" },
  "YAVIO-1202": { level: "warn", title: "Event flush rate-limited" },
  "YAVIO-1203": {
    level: "error",
    title: "Authentication rejected (permanent)",
    fix: "The API key was rejected: create or rotate a key in the dashboard; events are no longer sent.",
  },
  "YAVIO-1204": { level: "warn", title: "Partial batch rejection" },
  "YAVIO-1205": { level: "warn", title: "Shutdown flush failed" },
  "YAVIO-1206": {
    level: "warn",
    title: "Buffer overflow (events dropped)",
    fix: "Events arrive faster than they can be sent: check the endpoint is reachable.",
  },
  "YAVIO-1207": { level: "warn", title: "Beacon delivery failed" },
  "YAVIO-1300": { level: "warn", title: "Event validation failed (dropped)" },
  "YAVIO-1301": { level: "warn", title: "PII stripping failed (event dropped)" },
  "YAVIO-1302": { level: "warn", title: "Identify userId conflict" },
  "YAVIO-1303": { level: "warn", title: "Conversion missing required fields" },
  "YAVIO-1304": { level: "warn", title: "Event payload too large" },
  "YAVIO-1400": { level: "info", title: "No widget configuration found" },
  "YAVIO-1401": { level: "warn", title: "Widget JWT expired" },
  "YAVIO-1402": { level: "warn", title: "Widget trace ID mismatch" },
} as const satisfies Record<`YAVIO-1${string}`, SdkCodeEntry>

export type SdkCode = keyof typeof SDK_CODES
