/**
 * The booking widget: one self-contained HTML page the host renders in an iframe next to the
 * `search_rooms` result (MCP Apps `_meta.ui.resourceUri`, ChatGPT `openai/outputTemplate`).
 *
 * It reads the rooms from the tool result the host hands it and, when the result carried a
 * Yavio widget configuration (`_meta.yavio`, or `window.__YAVIO__` which withYavio injects into
 * this HTML), reports a render and the room the user picked on the search's trace. A React
 * widget would call `useYavio()` from `@yavio/sdk/react` instead of the few lines below.
 */

export const WIDGET_URI = "ui://hotel/booking.html"
export const WIDGET_MIME_TYPE = "text/html;profile=mcp-app"

export const WIDGET_HTML = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Rooms</title>
<style>
  body { font: 14px system-ui, sans-serif; margin: 0; padding: 12px; }
  .room { display: flex; justify-content: space-between; align-items: center; padding: 8px 0; border-bottom: 1px solid #ddd; }
  button { padding: 6px 12px; border-radius: 6px; border: 1px solid #888; background: #fff; cursor: pointer; }
  .empty { color: #666; }
</style>
</head>
<body>
<div id="rooms" class="empty">Loading rooms…</div>
<script>
(() => {
  const host = window.openai || {};
  const output = host.toolOutput || {};
  const meta = host.toolResponseMetadata || {};
  const config = window.__YAVIO__ || meta.yavio || (meta._meta && meta._meta.yavio) || null;
  delete window.__YAVIO__;

  let step = config && typeof config.stepOffset === "number" ? config.stepOffset : 0;
  const send = (events) => {
    if (!config) return;
    fetch(config.endpoint, {
      method: "POST",
      keepalive: true,
      headers: { authorization: "Bearer " + config.token, "content-type": "application/json" },
      body: JSON.stringify({ events, sdk_version: "example", sent_at: new Date().toISOString() }),
    }).catch(() => {});
  };
  const event = (type, fields) => Object.assign({
    event_id: crypto.randomUUID(),
    event_type: type,
    timestamp: new Date().toISOString(),
    trace_id: config && config.traceId,
    session_id: config && config.sessionId,
    source: "widget",
    viewport_width: window.innerWidth,
    viewport_height: window.innerHeight,
  }, fields);

  const list = document.getElementById("rooms");
  const rooms = Array.isArray(output.rooms) ? output.rooms : [];
  list.className = rooms.length ? "" : "empty";
  list.textContent = rooms.length ? "" : "No rooms match this search.";
  for (const room of rooms) {
    const row = document.createElement("div");
    row.className = "room";
    const label = document.createElement("span");
    label.textContent = room.hotel + " · " + room.name + " · " + room.pricePerNight + " " + room.currency + "/night";
    const book = document.createElement("button");
    book.textContent = "Book";
    book.dataset.yavio = "book-" + room.id;
    book.addEventListener("click", () => {
      send([event("step", { event_name: "room_selected", step_sequence: step++, metadata: { room_id: room.id } })]);
      if (host.sendFollowUpMessage) host.sendFollowUpMessage({ prompt: "Book room " + room.id });
    });
    row.append(label, book);
    list.append(row);
  }
  send([event("widget_render", { device_pixel_ratio: window.devicePixelRatio || 1 })]);
})();
</script>
</body>
</html>
`
