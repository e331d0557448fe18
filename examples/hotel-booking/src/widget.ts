/**
 * The booking widget's resource: its `ui://` URI and MIME type (MCP Apps; ChatGPT reads the same
 * resource through `openai/outputTemplate`). The page itself is a React bundle
 * (`src/widget/`, built by `widgetHtml.ts`) that uses `useYavio()` from `@yavio/sdk/react`.
 */

export const WIDGET_URI = "ui://hotel/booking.html"
export const WIDGET_MIME_TYPE = "text/html;profile=mcp-app"
