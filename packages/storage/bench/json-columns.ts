/**
 * Why `events` keeps its JSON-ish columns as `String`: this inserts the same rows into a table
 * with `String` columns and one with ClickHouse's native `JSON` type, on chDB, and reads one
 * nested key back. Run: `node --import tsx packages/storage/bench/json-columns.ts [rows]`.
 */
import { mkdtempSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { type ClickHouseClientConfigOptions, createClient } from "@clickhouse/client"
import { createChdbConnection } from "chdb/connection"

const rows = Number(process.argv[2] ?? 200_000)
const batch = 10_000
const dir = mkdtempSync(join(tmpdir(), "yavio-bench-json-"))
const client = createClient({
  connection: createChdbConnection({ path: dir }) as unknown as NonNullable<
    ClickHouseClientConfigOptions["connection"]
  >,
})

const objects = (i: number) => ({
  id: `evt_${i}`,
  metadata: { tool: `tool_${i % 20}`, attempt: i % 3, nested: { ok: i % 2 === 0 } },
  user_traits: { plan: i % 5 === 0 ? "pro" : "free", seats: i % 7 },
})
// A `String` column takes the JSON text; a `JSON` column takes the object itself.
const asText = (i: number) => {
  const o = objects(i)
  return { id: o.id, metadata: JSON.stringify(o.metadata), user_traits: JSON.stringify(o.user_traits) }
}

const time = async (label: string, f: () => Promise<unknown>) => {
  const start = performance.now()
  await f()
  const ms = performance.now() - start
  console.log(`${label.padEnd(34)} ${ms.toFixed(0).padStart(6)} ms`)
  return ms
}

const insertAll = async (table: string, row: (i: number) => object) => {
  for (let offset = 0; offset < rows; offset += batch) {
    const values = Array.from({ length: Math.min(batch, rows - offset) }, (_, k) => row(offset + k))
    await client.insert({ table, values, format: "JSONEachRow" })
  }
}

try {
  await client.command({
    query:
      "CREATE TABLE as_string (id String, metadata String, user_traits String) ENGINE = MergeTree ORDER BY id",
  })
  await client.command({
    query: "CREATE TABLE as_json (id String, metadata JSON, user_traits JSON) ENGINE = MergeTree ORDER BY id",
  })
  console.log(`${rows} rows in batches of ${batch}`)
  await time("insert String columns", () => insertAll("as_string", asText))
  await time("insert JSON columns", () => insertAll("as_json", objects))
  await time("read key via JSONExtractString", () =>
    client
      .query({
        query: "SELECT JSONExtractString(metadata, 'tool') AS t, count() FROM as_string GROUP BY t",
        format: "JSONEachRow",
      })
      .then((r) => r.json()),
  )
  await time("read key via JSON subcolumn", () =>
    client
      .query({
        query: "SELECT metadata.tool::String AS t, count() FROM as_json GROUP BY t",
        format: "JSONEachRow",
      })
      .then((r) => r.json()),
  )
  const sizes = await client
    .query({
      query:
        "SELECT table, formatReadableSize(sum(bytes_on_disk)) AS size FROM system.parts WHERE active AND table IN ('as_string','as_json') GROUP BY table",
      format: "JSONEachRow",
    })
    .then((r) => r.json())
  console.log(sizes)
} finally {
  await client.close()
  rmSync(dir, { recursive: true, force: true })
}
