import { PgServer, type PgServerInfo } from "@yavio/testkit/PgServer"
import { Duration, type Effect, ManagedRuntime, Redacted } from "effect"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { type ClickhouseFaults, makeClickhouseFaults } from "./support/ClickhouseFaults.js"
import { type Answer, idList, makeBatches, postEvents, type SdkEvent } from "./support/EventClient.js"
import { type IngestHarness, startIngest } from "./support/IngestHarness.js"
import { within } from "./support/ServerProcess.js"

/**
 * The stores failing under a running ingest service (ingest-and-storage.md: 503 `2401`,
 * `2402`, `2403`, each with Retry-After), and the service recovering by itself. ClickHouse
 * is the real embedded engine behind a fault switch; PostgreSQL is a real server (a throwaway
 * local cluster) that the test stops and starts. One harness for the file: chDB allows one
 * data directory per process.
 */

const MAX_QUEUED_EVENTS = 100
const WRITER_RETRIES = 1

let pgRuntime: ManagedRuntime.ManagedRuntime<PgServer, never>
let pg: PgServerInfo
let faults: ClickhouseFaults
let ingest: IngestHarness

const onPg = (effect: Effect.Effect<void>) => pgRuntime.runPromise(effect)

beforeAll(async () => {
  pgRuntime = ManagedRuntime.make(PgServer.localLayer)
  pg = await pgRuntime.runPromise(PgServer)
  faults = makeClickhouseFaults()
  ingest = await startIngest({
    env: { DATABASE_URL: Redacted.value(pg.url) },
    wrapClickhouse: faults.wrap,
    writer: {
      retries: WRITER_RETRIES,
      retryBase: Duration.millis(10),
      maxQueuedEvents: MAX_QUEUED_EVENTS,
      maxBatchEvents: MAX_QUEUED_EVENTS,
    },
  })
}, 90_000)
afterAll(async () => {
  await ingest?.close()
  await pgRuntime?.dispose()
})

const send = (apiKey: string, events: ReadonlyArray<SdkEvent>) => postEvents(ingest.url, apiKey, events)

/** Rows of these events as written (`count()`), after deduplication (`FINAL`), and distinct ids. */
const storedCounts = async (events: ReadonlyArray<SdkEvent>) => {
  const where = `event_id IN (${idList(events)})`
  const [row] = await ingest.clickhouse<{ rows: string; final: string; unique_ids: string }>(
    `SELECT
       (SELECT count() FROM events WHERE ${where}) AS rows,
       (SELECT count() FROM events FINAL WHERE ${where}) AS final,
       (SELECT uniqExact(event_id) FROM events WHERE ${where}) AS unique_ids`,
  )
  return { rows: Number(row!.rows), final: Number(row!.final), distinct: Number(row!.unique_ids) }
}

const once = (n: number) => ({ rows: n, final: n, distinct: n })
const none = once(0)

/** A 503 with the code and a Retry-After of whole seconds. */
const unavailable = (code: string) =>
  expect.objectContaining({ status: 503, code, retryAfter: expect.stringMatching(/^[1-9]\d*$/) })

describe("ClickHouse unavailable [postgresql server + chdb behind a fault switch]", () => {
  it("answers 503 YAVIO-2401 with Retry-After while inserts fail, then recovers without a restart", async () => {
    const { apiKey } = await ingest.createTenant("ch-down")
    const [refused, later] = makeBatches("chdown", 2, 50) as [Array<SdkEvent>, Array<SdkEvent>]

    faults.fail()
    const before = faults.stats().attempts
    expect(await send(apiKey, refused)).toEqual(unavailable("YAVIO-2401"))
    // The writer retried before giving up, and nothing was written.
    expect(faults.stats().attempts - before).toBe(WRITER_RETRIES + 1)
    expect(await storedCounts(refused)).toEqual(none)

    faults.release()
    expect(await send(apiKey, later)).toMatchObject({ status: 200, body: { accepted: 50 } })
    // The client re-sends the refused batch: it lands, once.
    expect(await send(apiKey, refused)).toMatchObject({ status: 200, body: { accepted: 50 } })
    expect(await storedCounts(refused)).toEqual(once(50))
    expect(await storedCounts(later)).toEqual(once(50))
  })

  it("a failure the writer's retry absorbs still writes the events before answering 200", async () => {
    const { apiKey } = await ingest.createTenant("ch-flaky")
    const [batch] = makeBatches("chflaky", 1, 50) as [Array<SdkEvent>]

    // The first attempt reaches the engine, which reads the rows and fails; the retry succeeds.
    faults.failAtEngine(1)
    const answer = await send(apiKey, batch)
    faults.release()
    // Acknowledged means written: the retry is the writer's to absorb this failure, and the 200
    // it then answers must mean the rows are in ClickHouse.
    expect({ status: answer.status, stored: await storedCounts(batch) }).toEqual({
      status: 200,
      stored: once(50),
    })
    expect(faults.stats().failed).toBeGreaterThan(0)
  })

  it("back-pressure: beyond maxQueuedEvents, requests get 503 YAVIO-2402 at once while inserts are slow", async () => {
    const { apiKey } = await ingest.createTenant("ch-slow")
    // Five requests of 50 events against a bound of 100 while no insert can finish.
    const batches = makeBatches("chslow", 5, 50)

    faults.hold()
    const answers: Array<{ readonly batch: number; readonly answer: Answer }> = []
    let threeAnswered: () => void = () => {}
    const threeAnswers = new Promise<void>((resolve) => {
      threeAnswered = resolve
    })
    const arrived = batches.map((events, batch) =>
      send(apiKey, events).then((answer) => {
        answers.push({ batch, answer })
        if (answers.length === 3) threeAnswered()
      }),
    )
    try {
      // Three are refused while the other two still wait on the held insert: at once, not
      // after the store recovers (if they were queued instead, this runs into the deadline).
      await within(15_000, threeAnswers, () => `only ${answers.length} answers while inserts were held`)
      // …and the two accepted are still waiting for their insert.
      expect(answers).toHaveLength(3)
      expect(answers.map((a) => a.answer)).toEqual([
        unavailable("YAVIO-2402"),
        unavailable("YAVIO-2402"),
        unavailable("YAVIO-2402"),
      ])
    } finally {
      faults.release()
    }
    await Promise.all(arrived)

    const written = answers.filter((a) => a.answer.status === 200)
    expect(written.map((a) => a.answer.body)).toEqual([{ accepted: 50 }, { accepted: 50 }])
    for (const { batch } of written) expect(await storedCounts(batches[batch]!)).toEqual(once(50))
    for (const { batch } of answers.filter((a) => a.answer.status === 503)) {
      expect(await storedCounts(batches[batch]!)).toEqual(none)
    }
  })
})

describe("PostgreSQL down [postgresql server + chdb]", () => {
  it("cached keys keep working, an uncached key gets 503 YAVIO-2403, and works once PostgreSQL is back", async () => {
    const a = await ingest.createTenant("pg-a")
    const b = await ingest.createTenant("pg-b")
    const [first, duringOutage, fromB] = makeBatches("pgdown", 3, 10) as [
      Array<SdkEvent>,
      Array<SdkEvent>,
      Array<SdkEvent>,
    ]
    expect((await send(a.apiKey, first)).status).toBe(200) // key A is now cached

    await onPg(pg.stop)
    try {
      expect(await send(a.apiKey, duringOutage)).toMatchObject({ status: 200, body: { accepted: 10 } })
      expect(await send(b.apiKey, fromB)).toEqual(unavailable("YAVIO-2403"))
      // Asked again at once: had the failed lookup been cached as an unknown key, this would be
      // a 401, and key B would stay refused for the negative TTL after PostgreSQL is back.
      expect(await send(b.apiKey, fromB)).toEqual(unavailable("YAVIO-2403"))
    } finally {
      await onPg(pg.start)
    }

    expect(await send(b.apiKey, fromB)).toMatchObject({ status: 200, body: { accepted: 10 } })
    expect(await storedCounts(duringOutage)).toEqual(once(10))
    expect(await storedCounts(fromB)).toEqual(once(10))
  })
})
