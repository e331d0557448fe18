import { HttpRouter, HttpServerResponse } from "@effect/platform"
import { type OutboxMessage, readOutbox } from "@yavio/accounts/Outbox"
import { Effect } from "effect"

const escapeHtml = (value: string): string =>
  value.replaceAll("&", "&amp;").replaceAll("<", "&lt;").replaceAll(">", "&gt;").replaceAll('"', "&quot;")

const row = (m: OutboxMessage) => `<li>
  <h2>${escapeHtml(m.subject)}</h2>
  <p class="meta">to ${escapeHtml(m.to)} · ${escapeHtml(m.date)} · <span class="mono">${escapeHtml(m.file)}</span></p>
  <ul>${m.links.map((l) => `<li><a href="${escapeHtml(l)}">${escapeHtml(l)}</a></li>`).join("")}</ul>
</li>`

const page = (messages: ReadonlyArray<OutboxMessage>) => `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Outbox · Yavio</title>
<style>
body{font-family:system-ui,sans-serif;font-size:14px;color:#0a0a0a;background:#fff;max-width:880px;margin:0 auto;padding:32px}
h1{font-size:24px;margin:0 0 8px}h2{font-size:16px;margin:0}.meta{color:#737373;margin:4px 0}
.mono{font-family:ui-monospace,monospace}ol{list-style:none;padding:0}ol>li{border-bottom:1px solid #e5e5e5;padding:16px 0}
a{color:#0a0a0a;overflow-wrap:anywhere}
</style></head><body><main>
<h1>Outbox</h1>
<p class="meta">Mail this install would have sent: no SMTP_HOST is set, so it is written to the data dir's outbox. Newest first.</p>
${messages.length === 0 ? "<p>No mail yet.</p>" : `<ol>${messages.map(row).join("")}</ol>`}
</main></body></html>`

/**
 * `GET /dev/outbox` (HTML) and `GET /dev/outbox.json`: the mail an embedded install without
 * SMTP wrote to `$YAVIO_DATA_DIR/outbox` — subject, recipient and the links (verify, reset,
 * invite, unlock) — so every flow works on a laptop. Mounted only while the outbox is in use.
 */
export const devOutboxRoutes = (dir: string) =>
  HttpRouter.empty.pipe(
    HttpRouter.get(
      "/dev/outbox",
      Effect.sync(() => HttpServerResponse.html(page(readOutbox(dir)))),
    ),
    HttpRouter.get(
      "/dev/outbox.json",
      Effect.sync(() => HttpServerResponse.unsafeJson(readOutbox(dir))),
    ),
  )
