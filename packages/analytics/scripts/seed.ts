/**
 * `npm run seed -- --events N [--days D] [--seed S] [--project prj_…] [--workspace ws_…]`
 *
 * Writes realistic, reproducible events (src/Seed.ts) into the store the environment names:
 * the embedded ClickHouse under YAVIO_DATA_DIR (default ./.yavio) unless CLICKHOUSE_URL is
 * set. The project defaults to the local one of `$YAVIO_DATA_DIR/local.json` (written by the
 * first `npm start`), so the dashboard shows the data at once. Stop `npm start` first in
 * embedded mode: the data dir belongs to one process at a time. Progress goes to stderr.
 */

import { readFileSync } from "node:fs"
import { join } from "node:path"
import { NodeRuntime } from "@effect/platform-node"
import { Clickhouse, ClickhouseMigrator, StorageConfig } from "@yavio/storage"
import { Effect, Layer } from "effect"
import { seedEvents } from "../src/Seed.js"
import { progressBar } from "./progressBar.js"

const argv = process.argv.slice(2)
const option = (name: string): string | undefined => {
  const at = argv.indexOf(name)
  return at >= 0 ? argv[at + 1] : undefined
}

const usage = (message: string): never => {
  process.stderr.write(
    `yavio seed: ${message}\nusage: npm run seed -- --events N [--days D] [--seed S] [--project prj_…] [--workspace ws_…]\n`,
  )
  process.exit(2)
}

const positive = (name: string, fallback: number | undefined): number => {
  const raw = option(name)
  if (raw === undefined) return fallback ?? usage(`${name} is required`)
  const value = Number(raw.replace(/_/g, ""))
  return Number.isFinite(value) && value > 0 ? value : usage(`${name} must be a positive number, got ${raw}`)
}

const main = Effect.gen(function* () {
  const events = Math.trunc(positive("--events", undefined))
  const days = positive("--days", 7)
  const seed = Math.trunc(positive("--seed", 1))
  const config = yield* StorageConfig
  let project = option("--project")
  let workspace = option("--workspace")
  if (project === undefined || workspace === undefined) {
    try {
      const local = JSON.parse(readFileSync(join(config.dataDir, "local.json"), "utf8")) as {
        projectId?: string
        workspaceId?: string
      }
      project ??= local.projectId
      workspace ??= local.workspaceId
    } catch {
      // no local.json: the flags must name the project
    }
  }
  if (project === undefined || workspace === undefined) {
    return usage(
      `no project: pass --project and --workspace, or run npm start once to create ${join(config.dataDir, "local.json")}`,
    )
  }
  yield* Effect.flatMap(ClickhouseMigrator, (migrator) => migrator.run)
  const started = Date.now()
  yield* seedEvents({ workspaceId: workspace, projectId: project, events, days, seed }, progressBar("seed"))
  process.stderr.write(
    `yavio seed: ${events.toLocaleString("en-US")} events over ${days} days (seed ${seed}) into project ${project} in ${((Date.now() - started) / 1000).toFixed(1)} s\n`,
  )
})

main.pipe(
  Effect.provide(
    ClickhouseMigrator.layer.pipe(
      Layer.provideMerge(Clickhouse.layer),
      Layer.provideMerge(StorageConfig.layer),
    ),
  ),
  Effect.tapErrorCause((cause) => Effect.sync(() => process.stderr.write(`yavio seed: failed\n${cause}\n`))),
  NodeRuntime.runMain,
)
