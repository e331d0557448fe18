import { ApiError } from "../ApiError"

/** One `event: event` frame of the live feed (§3.8). */
export interface LiveFrame {
  readonly id: string
  readonly eventType: string
  readonly eventName: string | null
  readonly timestamp: string
  readonly traceId: string | null
  readonly sessionId: string
  readonly platform: string | null
  readonly status?: string | null
  readonly metadata: string | null
}

export interface LiveHandlers {
  readonly onOpen: () => void
  readonly onEvent: (event: LiveFrame) => void
  readonly onFailure: (error: ApiError, retryInMs: number) => void
}

/** Splits an SSE byte stream into frames (`event`, `data`, `id` fields; blank line ends a frame). */
export const parseSseChunk = (
  buffer: string,
): { frames: Array<{ event: string; data: string; id?: string }>; rest: string } => {
  const frames: Array<{ event: string; data: string; id?: string }> = []
  const parts = buffer.split("\n\n")
  const rest = parts.pop() ?? ""
  for (const part of parts) {
    let event = "message"
    let data = ""
    let id: string | undefined
    for (const line of part.split("\n")) {
      if (line.startsWith("event: ")) event = line.slice(7)
      else if (line.startsWith("data: ")) data += line.slice(6)
      else if (line.startsWith("id: ")) id = line.slice(4)
    }
    if (data !== "") frames.push(id === undefined ? { event, data } : { event, data, id })
  }
  return { frames, rest }
}

/**
 * Reads `GET /api/live/:projectId` with fetch (not EventSource: a refusal's JSON body carries the
 * YAVIO code the page shows, e.g. `YAVIO-3500` for a sixth stream). On any end or failure it
 * reconnects with backoff 1 s → 30 s and resumes after the last cursor it saw. Returns a stop function.
 */
export const openLiveStream = (
  projectId: string,
  eventType: string | undefined,
  handlers: LiveHandlers,
): (() => void) => {
  let stopped = false
  let cursor: string | undefined
  let backoff = 1000
  let controller: AbortController | undefined
  let timer: ReturnType<typeof setTimeout> | undefined

  const retry = (error: ApiError) => {
    if (stopped) return
    handlers.onFailure(error, backoff)
    timer = setTimeout(connect, backoff)
    backoff = Math.min(30_000, backoff * 2)
  }

  const connect = async () => {
    if (stopped) return
    controller = new AbortController()
    const params = new URLSearchParams()
    if (eventType !== undefined) params.set("eventType", eventType)
    if (cursor !== undefined) params.set("cursor", cursor)
    const query = params.toString()
    try {
      const response = await fetch(
        `/api/live/${encodeURIComponent(projectId)}${query === "" ? "" : `?${query}`}`,
        {
          credentials: "same-origin",
          signal: controller.signal,
          headers: { accept: "text/event-stream" },
        },
      )
      if (!response.ok || response.body === null) {
        const body = (await response.json().catch(() => ({}))) as { error?: unknown }
        retry(ApiError.from(body.error))
        return
      }
      handlers.onOpen()
      backoff = 1000
      const reader = response.body.pipeThrough(new TextDecoderStream()).getReader()
      let buffer = ""
      for (;;) {
        const { value, done } = await reader.read()
        if (done) break
        const parsed = parseSseChunk(buffer + value)
        buffer = parsed.rest
        for (const frame of parsed.frames) {
          if (frame.id !== undefined) cursor = frame.id
          if (frame.event === "event") handlers.onEvent(JSON.parse(frame.data) as LiveFrame)
          else if (frame.event === "error") {
            const data = JSON.parse(frame.data) as { code?: string; message?: string }
            retry(ApiError.from(data))
            return
          }
        }
      }
      retry(new ApiError("YAVIO-3501", "The live feed ended; reconnecting."))
    } catch (error) {
      if (stopped) return
      retry(
        error instanceof ApiError
          ? error
          : new ApiError("YAVIO-3501", "The live feed is unavailable; reconnecting."),
      )
    }
  }

  void connect()
  return () => {
    stopped = true
    if (timer !== undefined) clearTimeout(timer)
    controller?.abort()
  }
}
