/**
 * Platform detection (sdk.md §2.9): layered strategies, the developer's first, then the built-in
 * ones in order of reliability — client name from `initialize` / the request envelope, then
 * User-Agent and custom headers, then Origin / Referer. The first confident answer wins; nothing
 * confident → `unknown`, with the raw signals kept for later reclassification.
 */

import type { PlatformSignals, PlatformStrategy } from "./types.js"

export const KNOWN_PLATFORMS = ["chatgpt", "claude", "cursor", "vscode", "windsurf"] as const
export type KnownPlatform = (typeof KNOWN_PLATFORMS)[number]

/**
 * Real `clientInfo.name` values → platform, matched case-insensitively and exactly. Entries are
 * verified against real clients before they ship; the patterns below catch close variants.
 */
export const CLIENT_NAME_PLATFORMS: Readonly<Record<string, KnownPlatform>> = {
  "openai-mcp": "chatgpt",
  chatgpt: "chatgpt",
  "claude-ai": "claude",
  "claude-code": "claude",
  "claude desktop": "claude",
  "cursor-vscode": "cursor",
  cursor: "cursor",
  "visual studio code": "vscode",
  "visual studio code - insiders": "vscode",
  vscode: "vscode",
  windsurf: "windsurf",
  "windsurf-client": "windsurf",
}

/** Looser client-name patterns, tried after the exact table; order matters (cursor is a VS Code fork). */
const CLIENT_NAME_PATTERNS: ReadonlyArray<readonly [RegExp, KnownPlatform]> = [
  [/\bopenai\b|chatgpt/i, "chatgpt"],
  [/\bclaude\b|anthropic/i, "claude"],
  [/cursor/i, "cursor"],
  [/windsurf|codeium/i, "windsurf"],
  [/visual studio code|\bvs ?code\b/i, "vscode"],
]

const USER_AGENT_PATTERNS: ReadonlyArray<readonly [RegExp, KnownPlatform]> = [
  [/\bopenai\b|chatgpt/i, "chatgpt"],
  [/claude-user|claude\b|anthropic/i, "claude"],
  [/cursor/i, "cursor"],
  [/windsurf|codeium/i, "windsurf"],
  [/\bvscode\b|visual studio code/i, "vscode"],
]

/** Custom headers some hosts send (name → platform). */
const HEADER_PLATFORMS: ReadonlyArray<readonly [string, KnownPlatform]> = [
  ["openai-ephemeral-user-id", "chatgpt"],
  ["openai-conversation-id", "chatgpt"],
  ["x-openai-session", "chatgpt"],
  ["anthropic-client", "claude"],
]

const ORIGIN_HOSTS: ReadonlyArray<readonly [string, KnownPlatform]> = [
  ["chatgpt.com", "chatgpt"],
  ["chat.openai.com", "chatgpt"],
  ["claude.ai", "claude"],
  ["cursor.sh", "cursor"],
  ["cursor.com", "cursor"],
]

/** Priority 1: the client name. */
export const platformFromClientName = (name: string | undefined): KnownPlatform | undefined => {
  if (name === undefined || name === "") return undefined
  const exact = CLIENT_NAME_PLATFORMS[name.trim().toLowerCase()]
  if (exact !== undefined) return exact
  for (const [pattern, platform] of CLIENT_NAME_PATTERNS) if (pattern.test(name)) return platform
  return undefined
}

/** Priority 2: User-Agent and custom headers. */
const platformFromHeaders = (signals: PlatformSignals): KnownPlatform | undefined => {
  for (const [header, platform] of HEADER_PLATFORMS)
    if (signals.headers[header] !== undefined) return platform
  const ua = signals.userAgent
  if (ua !== undefined && ua !== "") {
    for (const [pattern, platform] of USER_AGENT_PATTERNS) if (pattern.test(ua)) return platform
  }
  return undefined
}

const hostOf = (value: string | undefined): string | undefined => {
  if (value === undefined || value === "") return undefined
  try {
    return new URL(value).hostname.toLowerCase()
  } catch {
    return undefined
  }
}

/** Priority 3: Origin / Referer. */
const platformFromOrigin = (signals: PlatformSignals): KnownPlatform | undefined => {
  for (const value of [signals.origin, signals.referer]) {
    const host = hostOf(value)
    if (host === undefined) continue
    for (const [known, platform] of ORIGIN_HOSTS) {
      if (host === known || host.endsWith(`.${known}`)) return platform
    }
  }
  return undefined
}

export const BUILT_IN_STRATEGIES: ReadonlyArray<PlatformStrategy> = [
  (signals) => platformFromClientName(signals.clientName),
  platformFromHeaders,
  platformFromOrigin,
]

export interface PlatformVerdict {
  readonly platform: string
  /** The raw signals, only when nothing was confident (kept in `metadata.platform_signals`). */
  readonly signals?: Readonly<Record<string, string>>
}

const rawSignals = (signals: PlatformSignals): Record<string, string> => {
  const raw: Record<string, string> = {}
  if (signals.clientName !== undefined) raw.client_name = signals.clientName
  if (signals.clientVersion !== undefined) raw.client_version = signals.clientVersion
  if (signals.protocolVersion !== undefined) raw.protocol_version = signals.protocolVersion
  if (signals.userAgent !== undefined) raw.user_agent = signals.userAgent.slice(0, 256)
  const origin = hostOf(signals.origin) ?? hostOf(signals.referer)
  if (origin !== undefined) raw.origin = origin
  return raw
}

/**
 * Runs the strategies, the developer's first. A strategy that throws is skipped. Platform names
 * are normalised to lower case.
 */
export const detectPlatform = (
  signals: PlatformSignals,
  custom: ReadonlyArray<PlatformStrategy> = [],
): PlatformVerdict => {
  for (const strategy of custom.length === 0 ? BUILT_IN_STRATEGIES : [...custom, ...BUILT_IN_STRATEGIES]) {
    let answer: string | undefined | null
    try {
      answer = strategy(signals)
    } catch {
      continue
    }
    if (typeof answer === "string" && answer.trim() !== "") return { platform: answer.trim().toLowerCase() }
  }
  return { platform: "unknown", signals: rawSignals(signals) }
}
