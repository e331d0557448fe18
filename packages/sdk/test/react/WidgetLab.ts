/**
 * Everything a widget test file needs, all real: the Yavio server (`npm start`, embedded stores)
 * with ingest behind a RecordingProxy; a `withYavio` MCP server with a widget tool, driven by a
 * real MCP client, so every widget configuration is minted by ingest for the server's own
 * session and a fresh trace; the widget pages; one Chromium. ClickHouse is read once the server
 * has stopped (chDB locks its directory).
 */

import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js"
import { type Chromium, launchChromium } from "@yavio/testkit/Chromium"
import { type PlatformProcess, startPlatform } from "@yavio/testkit/PlatformProcess"
import * as z from "zod"
import { withYavio, yavio } from "../../src/server/index.js"
import { literal, withStore } from "../support/e2e/StoredEvents.js"
import { type WidgetConfig, widgetConfigOf } from "../support/e2e/widgetBatch.js"
import { connectV1 } from "../support/harness.js"
import { RecordingProxy } from "./RecordingProxy.js"
import { WidgetPages } from "./WidgetPages.js"

export const WIDGET_URI = "ui://hotel/rooms.html"

/** A stored row, the columns the widget tests read (metadata and traits as JSON text). */
export interface Row {
  readonly event_id: string
  readonly project_id: string
  readonly event_type: string
  readonly event_name: string | null
  readonly source: string
  readonly session_id: string
  readonly trace_id: string | null
  readonly user_id: string | null
  readonly user_traits: string | null
  readonly step_sequence: number | null
  readonly status: string | null
  readonly conversion_value: number | null
  readonly conversion_currency: string | null
  readonly viewport_width: number | null
  readonly viewport_height: number | null
  readonly scroll_depth_pct: number | null
  readonly click_count: number | null
  readonly visible_duration_ms: number | null
  readonly field_name: string | null
  readonly nav_from: string | null
  readonly nav_to: string | null
  readonly device_touch: number | null
  readonly device_pixel_ratio: number | null
  readonly connection_type: string | null
  readonly load_time_ms: number | null
  readonly metadata: string | null
  readonly sdk_version: string | null
}

const COLUMNS = `event_id, project_id, event_type, event_name, source, session_id, trace_id, user_id, user_traits,
  step_sequence, status, conversion_value, conversion_currency, viewport_width, viewport_height, scroll_depth_pct,
  click_count, visible_duration_ms, field_name, nav_from, nav_to, device_touch, device_pixel_ratio,
  connection_type, load_time_ms, metadata, sdk_version`

/** A widget tool result as the MCP client received it, and the configuration it carries. */
export interface WidgetCall {
  readonly result: Record<string, unknown>
  readonly config: WidgetConfig
}

export interface WidgetLab {
  readonly ingest: PlatformProcess
  readonly proxy: RecordingProxy
  readonly pages: WidgetPages
  readonly chromium: Chromium
  /** Calls the widget tool once: a new trace in the same MCP session, a token minted for it. */
  readonly widgetCall: () => Promise<WidgetCall>
  /** Stops the browser, the MCP session and the server, then reads the rows of `traceIds`. */
  readonly finish: (traceIds: ReadonlyArray<string>) => Promise<ReadonlyMap<string, ReadonlyArray<Row>>>
  /** Removes whatever is still running or on disk; idempotent. */
  readonly dispose: () => Promise<void>
}

export const startWidgetLab = async (): Promise<WidgetLab> => {
  const ingest = await startPlatform({ timeoutMs: 120_000 })
  const cleanups: Array<() => Promise<void> | void> = [() => ingest.remove(), () => ingest.stop(5_000)]
  const dispose = async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup()
  }
  try {
    const proxy = await new RecordingProxy(ingest.url).start()
    cleanups.push(() => proxy.stop())
    const pages = await new WidgetPages().start()
    cleanups.push(() => pages.stop())

    const server = withYavio(new McpServer({ name: "hotel", version: "1.0.0" }), {
      apiKey: ingest.install.apiKey,
      endpoint: proxy.url,
    })
    server.registerTool(
      "show_rooms",
      { inputSchema: { city: z.string() }, _meta: { ui: { resourceUri: WIDGET_URI } } },
      async ({ city }, extra) => {
        ;(extra as unknown as { yavio: { step: (name: string) => void } }).yavio.step("rooms_shown")
        return { content: [{ type: "text" as const, text: `rooms in ${city}` }], structuredContent: { city } }
      },
    )
    cleanups.push(() => yavio.shutdown()) // runs before the proxy stops: its tail still arrives
    const client = await connectV1(server, { name: "openai-mcp", version: "1.0.0" })
    cleanups.push(() => client.close())

    const chromium = await launchChromium()
    cleanups.push(() => chromium.close())

    const widgetCall = async (): Promise<WidgetCall> => {
      // Token minting waits at most 500 ms after the handler (sdk.md §5.2); a cold or busy
      // server can miss that, and the result then carries no configuration: call again.
      for (let attempt = 0; ; attempt++) {
        const result = (await client.callTool({
          name: "show_rooms",
          arguments: { city: "Lisbon" },
        })) as Record<string, unknown>
        try {
          return { result, config: widgetConfigOf(result) }
        } catch (error) {
          if (attempt === 4) throw error
        }
      }
    }

    const finish = async (traceIds: ReadonlyArray<string>) => {
      await chromium.close()
      await client.close()
      // The server SDK's own events (tool calls, steps) are delivered before ingest stops.
      await yavio.shutdown()
      await ingest.stop(10_000)
      return withStore(ingest.dataDir, async (query) => {
        const rows = new Map<string, ReadonlyArray<Row>>()
        for (const traceId of traceIds)
          rows.set(
            traceId,
            await query<Row>(
              `SELECT ${COLUMNS} FROM events FINAL WHERE trace_id = ${literal(traceId)} ORDER BY timestamp, step_sequence`,
            ),
          )
        return rows
      })
    }
    return { ingest, proxy, pages, chromium, widgetCall, finish, dispose }
  } catch (error) {
    await dispose()
    throw error
  }
}
