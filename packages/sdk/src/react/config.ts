/**
 * Where a widget finds its configuration (sdk.md §7.2), first hit wins:
 *   1. `window.__YAVIO__`, read once and deleted (the server injects it into served widget HTML);
 *   2. `<meta name="yavio-config" content='{…}'>`;
 *   3. tool-result metadata: the hook's argument (`._meta.yavio` or `.yavio`), ChatGPT's
 *      `window.openai.toolResponseMetadata`, the tool result an MCP Apps host bridge posted;
 *   4. the hook's argument as an explicit `{ token, endpoint, traceId, sessionId }`.
 */

import type { WidgetConfig } from "./types.js"

type Loose = { [key: string]: unknown } | null | undefined

/** The object itself when it is a complete, plausible configuration (checks: our decision). */
const valid = (candidate: unknown): WidgetConfig | null => {
  const c = candidate as Loose
  return c &&
    [c.token, c.endpoint, c.traceId, c.sessionId].every((v) => typeof v === "string" && v !== "") &&
    /^https?:\/\//.test(c.endpoint as string) &&
    /^tr_/.test(c.traceId as string) &&
    /^ses_/.test(c.sessionId as string)
    ? (c as unknown as WidgetConfig)
    : null
}

/**
 * The widget configuration carried by a tool result or its metadata: `input.yavio`, then
 * `input._meta.yavio`; `null` when neither holds a valid one.
 */
export const extractWidgetConfig = (input: unknown): WidgetConfig | null => {
  const o = input as Loose
  return valid(o?.yavio) ?? valid((o?._meta as Loose)?.yavio)
}

/** `window.__YAVIO__` as it was on the first read; the global is gone afterwards. */
let injected: unknown
let injectedRead = false
/** The latest tool result an MCP Apps host delivered (`ui/notifications/tool-result`). */
let bridged: unknown

export const setBridgedResult = (result: unknown): void => {
  bridged = result
}

const fromGlobal = (): WidgetConfig | null => {
  if (!injectedRead) {
    injectedRead = true
    const w = window as unknown as { __YAVIO__?: unknown }
    injected = w.__YAVIO__
    // Shrinks the window in which other scripts of the page can read the token (sdk.md §7.7).
    delete w.__YAVIO__
  }
  return valid(injected)
}

const fromMeta = (): WidgetConfig | null => {
  try {
    return valid(
      JSON.parse(document.querySelector<HTMLMetaElement>('meta[name="yavio-config"]')?.content ?? ""),
    )
  } catch {
    return null
  }
}

/** Resolves the configuration for one render of the hook; `null` → no-op mode. */
export const resolveConfig = (input: unknown): WidgetConfig | null =>
  fromGlobal() ??
  fromMeta() ??
  extractWidgetConfig(input) ??
  extractWidgetConfig((window as unknown as { openai?: Loose }).openai?.toolResponseMetadata) ??
  extractWidgetConfig(bridged) ??
  valid(input)
