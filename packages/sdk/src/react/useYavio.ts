/**
 * `useYavio()` (sdk.md §7.1–7.4). Every call returns the page's one widget instance. The first
 * mounted hook listens for configuration arriving later (ChatGPT's `openai:set_globals`, an MCP
 * Apps host posting `ui/notifications/tool-result`); each render with a new argument resolves the
 * configuration again. The first valid configuration turns no-op mode into the real instance and
 * attaches the auto-captures; the last unmount flushes and removes every listener.
 */

import { useEffect } from "react"
import { attach } from "./capture.js"
import { resolveConfig, setBridgedResult } from "./config.js"
import type { WidgetConfig, YavioWidget } from "./types.js"
import { flush, open, widget } from "./widget.js"

let mounted = 0
let latestInput: unknown
let detach: (() => void) | undefined

const apply = (): void => {
  const config = resolveConfig(latestInput)
  if (!config) return
  open(config)
  // Also after a remount (React StrictMode mounts twice): the captures follow the mounted hooks.
  detach ??= attach()
}

/** The MCP Apps bridge delivers the tool result as a JSON-RPC notification from the host frame. */
const onMessage = (event: MessageEvent): void => {
  const data = event.data as { jsonrpc?: unknown; method?: unknown; params?: unknown } | null
  if (event.source === parent && data?.jsonrpc === "2.0" && data.method === "ui/notifications/tool-result") {
    setBridgedResult(data.params)
    apply()
  }
}

/**
 * The widget analytics instance. `input`: nothing (zero configuration), a raw tool result or its
 * metadata (`_meta.yavio` / `.yavio`), or an explicit `WidgetConfig`.
 */
export const useYavio = (input?: Partial<WidgetConfig> | object): YavioWidget => {
  useEffect(() => {
    if (!mounted++) {
      addEventListener("message", onMessage)
      addEventListener("openai:set_globals", apply)
    }
    return () => {
      if (--mounted) return
      removeEventListener("message", onMessage)
      removeEventListener("openai:set_globals", apply)
      flush(true)
      detach?.()
      detach = undefined
    }
  }, [])
  useEffect(() => {
    if (input !== undefined) latestInput = input
    // After every effect of this commit: children run theirs first, and an argument-less
    // `useYavio()` in a child must not resolve before its parent passed the tool result.
    queueMicrotask(apply)
  }, [input])
  return widget
}
