/**
 * Serves the test widgets over local HTTP: the bundles (esbuild, from fixtures/, React and the
 * hook's source inlined), and pages per test case. A host page (on 127.0.0.1) embeds the widget
 * in an iframe from another origin (localhost), as chat hosts do. Each case says how the widget
 * page carries its configuration: `window.__YAVIO__`, a `<meta name="yavio-config">`, ChatGPT's
 * `window.openai`, or `window.__TEST__` for the fixture (tool result as a prop, explicit config).
 */

import { createServer, type Server } from "node:http"
import type { AddressInfo } from "node:net"
import { fileURLToPath } from "node:url"
import { build } from "esbuild"

export interface PageCase {
  /** How the fixture calls the hook (see fixtures/hotelWidget.ts). */
  readonly mode: "prop" | "explicit" | "none"
  readonly result?: object
  readonly config?: object
  /** Injected as `window.__YAVIO__` before the bundle runs. */
  readonly global?: object
  /** Put into `<meta name="yavio-config">`. */
  readonly meta?: object
  /** `window.openai.toolResponseMetadata`, as ChatGPT exposes the result's `_meta`. */
  readonly openai?: object
  /** Render the fixture inside React's StrictMode. */
  readonly strict?: boolean
  /** For `/apps-host/`: the tool result the MCP Apps bridge delivers. */
  readonly toolResult?: object
}

const FIXTURES = fileURLToPath(new URL("./fixtures/", import.meta.url))

/** JSON inside a `<script>`: `<` escaped so no value can close the element. */
const scriptJson = (value: unknown): string => JSON.stringify(value).replace(/</g, "\\u003c")
const attribute = (value: string): string => value.replace(/&/g, "&amp;").replace(/'/g, "&#39;")

const bundle = async (): Promise<Map<string, string>> => {
  const result = await build({
    absWorkingDir: FIXTURES,
    entryPoints: {
      widget: "hotelWidget.ts",
      "apps-widget": "appsWidget.ts",
      "apps-host": "appsHost.ts",
    },
    bundle: true,
    format: "esm",
    platform: "browser",
    target: "es2022",
    outdir: "/bundles",
    write: false,
    define: { "process.env.NODE_ENV": '"production"' },
    logLevel: "warning",
  })
  return new Map(result.outputFiles.map((file) => [`/${file.path.split("/").pop()}`, file.text]))
}

export class WidgetPages {
  private readonly cases = new Map<string, PageCase>()
  private bundles = new Map<string, string>()
  private server: Server | undefined
  /** Host pages: `http://127.0.0.1:<port>`. */
  hostOrigin = ""
  /** Widget frames: `http://localhost:<port>` (another origin than the host). */
  widgetOrigin = ""

  register(id: string, page: PageCase): void {
    this.cases.set(id, page)
  }

  /** A widget page opened directly (top-level), without a host page around it. */
  widgetUrl(id: string): string {
    return `${this.widgetOrigin}/widget/${id}`
  }

  hostUrl(id: string): string {
    return `${this.hostOrigin}/host/${id}`
  }

  /** An empty page of the host origin (a control page for barriers). */
  blankUrl(): string {
    return `${this.hostOrigin}/blank`
  }

  appsHostUrl(id: string): string {
    return `${this.hostOrigin}/apps-host/${id}`
  }

  private widgetHtml(page: PageCase, script: string): string {
    const head: string[] = ['<meta charset="utf-8">']
    if (page.meta !== undefined)
      head.push(`<meta name="yavio-config" content='${attribute(JSON.stringify(page.meta))}'>`)
    const globals: string[] = [`window.__TEST__=${scriptJson(page)};`]
    if (page.global !== undefined) globals.push(`window.__YAVIO__=${scriptJson(page.global)};`)
    if (page.openai !== undefined)
      globals.push(`window.openai={toolResponseMetadata:${scriptJson(page.openai)}};`)
    head.push(`<script>${globals.join("")}</script>`)
    return `<!doctype html><html><head>${head.join("")}</head><body style="margin:0"><div id="root"></div><script type="module" src="${script}"></script></body></html>`
  }

  private page(path: string): string | undefined {
    const [, kind, id] = path.split("/")
    const page = id === undefined ? undefined : this.cases.get(id)
    if (page === undefined) return undefined
    switch (kind) {
      case "widget":
        return this.widgetHtml(page, "/widget.js")
      case "apps-view":
        return this.widgetHtml(page, "/apps-widget.js")
      case "host":
        return `<!doctype html><html><body style="margin:0"><div id="chat" style="height:120px">Assistant: here are the rooms</div><iframe id="view" src="${this.widgetOrigin}/widget/${id}" style="width:700px;height:400px;border:0"></iframe><div style="height:3000px">more conversation</div></body></html>`
      case "apps-host":
        return `<!doctype html><html><body style="margin:0"><iframe id="view" src="${this.widgetOrigin}/apps-view/${id}" style="width:700px;height:400px;border:0"></iframe><script>window.__TOOL_RESULT__=${scriptJson(page.toolResult)}</script><script type="module" src="/apps-host.js"></script></body></html>`
      default:
        return undefined
    }
  }

  async start(): Promise<this> {
    this.bundles = await bundle()
    const server = createServer((req, res) => {
      const path = new URL(req.url ?? "/", "http://x").pathname
      const script = this.bundles.get(path)
      if (script !== undefined) {
        res.writeHead(200, { "content-type": "text/javascript; charset=utf-8" }).end(script)
        return
      }
      if (path === "/favicon.ico") {
        res.writeHead(204).end()
        return
      }
      if (path === "/blank") {
        res
          .writeHead(200, { "content-type": "text/html; charset=utf-8" })
          .end("<!doctype html><title>blank</title>")
        return
      }
      const html = this.page(path)
      if (html === undefined) res.writeHead(404).end()
      else res.writeHead(200, { "content-type": "text/html; charset=utf-8" }).end(html)
    })
    this.server = server
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve))
    const { port } = server.address() as AddressInfo
    this.hostOrigin = `http://127.0.0.1:${port}`
    this.widgetOrigin = `http://localhost:${port}`
    return this
  }

  async stop(): Promise<void> {
    const server = this.server
    if (server === undefined) return
    this.server = undefined
    server.closeAllConnections()
    await new Promise<void>((resolve) => server.close(() => resolve()))
  }
}
