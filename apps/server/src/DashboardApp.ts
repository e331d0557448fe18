import { join, normalize } from "node:path"
import { pathToFileURL } from "node:url"
import { HttpRouter, HttpServerRequest, HttpServerResponse } from "@effect/platform"
import { makeLiveFeed } from "@yavio/analytics/LiveFeedHttp"
import { distDir, ensureBuilt } from "@yavio/dashboard/build"
import { Health } from "@yavio/ingest"
import { Effect } from "effect"

interface StartEntry {
  readonly default: { readonly fetch: (request: Request) => Promise<Response> }
}

const assetsDir = join(distDir, "client", "assets")

/**
 * The dashboard app (apps/dashboard, TanStack Start) as routes of the dashboard server: its
 * hashed assets (cached for a year: the name changes with the content), `GET /api/health`, and
 * every other GET rendered by the app's server entry. The app is built first when its sources
 * changed (about 10 s, once).
 */
export const dashboardRoutes = Effect.gen(function* () {
  yield* Effect.promise(() => ensureBuilt((line) => console.log(`yavio: ${line}`)))
  const entry = yield* Effect.promise(
    () => import(pathToFileURL(join(distDir, "server", "server.js")).href) as Promise<StartEntry>,
  )
  const health = yield* Health
  const live = yield* makeLiveFeed

  const asset = Effect.gen(function* () {
    const request = yield* HttpServerRequest.HttpServerRequest
    const name = decodeURIComponent(request.url.split("?")[0]!.slice("/assets/".length))
    const file = normalize(join(assetsDir, name))
    if (!file.startsWith(`${assetsDir}/`)) return HttpServerResponse.empty({ status: 404 })
    return yield* HttpServerResponse.file(file, {
      headers: { "cache-control": "public, max-age=31536000, immutable" },
    }).pipe(Effect.orElseSucceed(() => HttpServerResponse.empty({ status: 404 })))
  })

  const page = Effect.gen(function* () {
    const request = yield* HttpServerRequest.HttpServerRequest
    const web = yield* HttpServerRequest.toWeb(request)
    const response = yield* Effect.promise(() => entry.default.fetch(web))
    return HttpServerResponse.fromWeb(response)
  })

  return HttpRouter.empty.pipe(
    HttpRouter.get(
      "/api/health",
      Effect.map(health.check, (report) =>
        HttpServerResponse.unsafeJson(report, { status: report.status === "healthy" ? 200 : 503 }),
      ),
    ),
    HttpRouter.get("/api/live/:projectId", live.handler),
    HttpRouter.get("/assets/*", asset),
    HttpRouter.get("*", page),
  )
})
