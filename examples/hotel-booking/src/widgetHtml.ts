/**
 * The widget's HTML as served through `resources/read`: one self-contained page with the React
 * bundle of `src/widget/` inlined (esbuild, minified; React and `@yavio/sdk/react` included, the
 * way an app ships its widget). Built once per process, on the first read.
 */

import { fileURLToPath } from "node:url"
import { build } from "esbuild"

const ENTRY = fileURLToPath(new URL("./widget/main.ts", import.meta.url))

const STYLE = `body{font:14px system-ui,sans-serif;margin:0;padding:12px}
header{display:flex;justify-content:space-between;align-items:center;margin-bottom:8px}
ul{list-style:none;margin:0;padding:0;max-height:220px;overflow:auto}
.room{display:flex;gap:8px;justify-content:space-between;align-items:center;padding:8px 0;border-bottom:1px solid #ddd}
.room.selected{background:#eef6ff}
button{padding:6px 12px;border-radius:6px;border:1px solid #888;background:#fff;cursor:pointer}
form{display:flex;gap:8px;margin-top:8px}input{flex:1;padding:6px}
.empty{color:#666}`

const bundle = async (): Promise<string> => {
  const result = await build({
    entryPoints: [ENTRY],
    bundle: true,
    format: "esm",
    platform: "browser",
    target: "es2022",
    minify: true,
    write: false,
    // Inside this repository @yavio/sdk resolves to its TypeScript source, as for the server.
    conditions: ["@yavio/source"],
    define: { "process.env.NODE_ENV": '"production"' },
    legalComments: "none",
    logLevel: "warning",
  })
  const code = result.outputFiles[0]?.text ?? ""
  // Inline in a <script>: no sequence in the bundle may close the element.
  return code.replace(/<\/(script)/gi, "<\\/$1")
}

let html: Promise<string> | undefined

/** The widget page; withYavio inserts `window.__YAVIO__` at the start of its `<head>`. */
export const widgetHtml = (): Promise<string> => {
  html ??= bundle().then(
    (code) =>
      `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Rooms</title><style>${STYLE}</style></head>` +
      `<body><div id="root"></div><script type="module">${code}</script></body></html>`,
  )
  return html
}
