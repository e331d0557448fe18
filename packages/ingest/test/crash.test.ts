import { mkdtempSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest"
import {
  type Answer,
  forEachConcurrently,
  makeBatches,
  NoAnswer,
  postEvents,
  type SdkEvent,
} from "./support/EventClient.js"
import {
  freePort,
  killAll,
  readLocalInstall,
  type ServerProcess,
  startServer,
  within,
} from "./support/ServerProcess.js"
import { readStoredEvents } from "./support/StoredEvents.js"

/**
 * The real `npm start` process under faults (ingest-and-storage.md, "The writer: acknowledged
 * means written"): a 200 means the events are in ClickHouse, so neither `kill -9` nor SIGTERM
 * may lose one, and `event_id` deduplication absorbs every retry.
 *
 * Both tests run on one data directory (a first start, with its migrations and provisioning,
 * costs most of the time), each asserting about its own events; the second one works alone too.
 */

// The per-key limits would otherwise answer this load with 429s.
const HIGH_LIMITS = {
  YAVIO_RATE_LIMIT_EVENTS_PER_SECOND: "1000000",
  YAVIO_RATE_LIMIT_BURST: "1000000",
}

let dir: string
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "yavio-crash-"))
})
// A test that failed half-way may leave its server running.
afterEach(() => killAll())
afterAll(() => rmSync(dir, { recursive: true, force: true }))

const start = async (port?: number) =>
  startServer({ dataDir: dir, port: port ?? (await freePort()), env: HIGH_LIMITS })

const idsOf = (batches: Iterable<ReadonlyArray<SdkEvent>>) =>
  [...batches].flatMap((batch) => batch.map((e) => e.event_id))

const missingFrom = (stored: ReadonlySet<string>, wanted: Iterable<string>) =>
  [...wanted].filter((id) => !stored.has(id))

const stopped = async (server: ServerProcess, ms: number) =>
  within(ms, server.exited, () => `the server did not exit:\n${server.output()}`)

describe("ingest process faults [npm start, pglite + chdb]", () => {
  it("kill -9 mid-load, restart, retry what was not acknowledged: every acknowledged event stored once", async () => {
    const port = await freePort()
    let server = await start(port)
    const { apiKey } = readLocalInstall(dir)

    const batches = makeBatches("crash", 120, 50)
    const acknowledged = new Set<number>()
    const otherAnswers: Array<Answer> = []
    let inFlight = 0
    let inFlightAtKill = 0
    let killed = false

    // Phase 1: 6 requests in flight at a time; kill -9 right after the 40th acknowledgement.
    await forEachConcurrently(batches.keys(), 6, async (b) => {
      if (killed) return // the client holds what is left until the server is back
      inFlight++
      try {
        const answer = await postEvents(server.url, apiKey, batches[b]!)
        if (answer.status === 200) acknowledged.add(b)
        else otherAnswers.push(answer)
      } catch (error) {
        if (!(error instanceof NoAnswer)) throw error // no answer: not acknowledged
      } finally {
        inFlight--
      }
      if (!killed && acknowledged.size >= 40) {
        killed = true
        inFlightAtKill = inFlight
        server.kill("SIGKILL")
      }
    })
    expect(await stopped(server, 15_000)).toEqual({ code: null, signal: "SIGKILL" })
    // The kill landed while requests were being served, with batches left unacknowledged.
    expect(inFlightAtKill).toBeGreaterThan(0)
    expect(acknowledged.size).toBeLessThan(batches.length)
    expect(otherAnswers).toEqual([])
    const acknowledgedBeforeCrash = idsOf([...acknowledged].map((b) => batches[b]!))

    // Phase 2: same data directory and port; the killed process's locks (chDB's, and
    // postgres.lock for PGlite) must be taken over, or this start fails with the output.
    server = await start(port)
    // Every unacknowledged batch, plus every 5th acknowledged one (a lost response is retried too).
    const resend = [...batches.keys()].filter((b) => !acknowledged.has(b) || b % 5 === 0)
    const retried: Array<{
      readonly batch: number
      readonly status: number
      readonly code: string | undefined
    }> = []
    await forEachConcurrently(resend, 4, async (b) => {
      const answer = await postEvents(server.url, apiKey, batches[b]!)
      if (answer.status !== 200) retried.push({ batch: b, status: answer.status, code: answer.code })
    })
    expect(retried).toEqual([])

    server.kill("SIGTERM")
    expect(await stopped(server, 30_000), server.output()).toEqual({ code: 0, signal: null })

    const stored = await readStoredEvents(dir)
    const sent = idsOf(batches)
    expect(missingFrom(stored.ids, acknowledgedBeforeCrash)).toEqual([])
    expect(missingFrom(stored.ids, sent)).toEqual([])
    // Nothing counted twice: deduplicated rows, distinct ids and events sent agree.
    expect({ stored: stored.ids.size, final: stored.final, distinct: stored.distinct }).toEqual({
      stored: sent.length,
      final: sent.length,
      distinct: sent.length,
    })
  }, 150_000)

  it("SIGTERM under load: every request answered or refused, exit 0, every 200 stored", async () => {
    const server = await start()
    const { apiKey } = readLocalInstall(dir)

    const batches = makeBatches("term", 80, 50)
    const answers = new Map<number, Answer>()
    const unanswered: Array<{ readonly batch: number; readonly reason: string }> = []
    let inFlight = 0
    let inFlightAtTerm = 0
    let terminated = false
    let gone = false

    // Every worker keeps sending until its connection is refused: requests arrive before,
    // during and after the SIGTERM. A request the server took must be answered, not left hanging.
    await forEachConcurrently(batches.keys(), 8, async (b) => {
      if (gone) return
      inFlight++
      try {
        answers.set(b, await postEvents(server.url, apiKey, batches[b]!, 10_000))
      } catch (error) {
        if (!(error instanceof NoAnswer)) throw error
        if (error.reason === "timeout") unanswered.push({ batch: b, reason: error.message })
        gone = terminated // refused or reset after the SIGTERM: the server is closing
      } finally {
        inFlight--
      }
      if (!terminated && [...answers.values()].filter((a) => a.status === 200).length >= 15) {
        terminated = true
        inFlightAtTerm = inFlight
        server.kill("SIGTERM")
      }
    })
    expect(inFlightAtTerm).toBeGreaterThan(0)
    expect(await stopped(server, 30_000), server.output()).toEqual({ code: 0, signal: null })

    // Only two answers are allowed: written (200), or refused while shutting down (503 2402).
    const unexpected = [...answers.values()].filter(
      (a) => a.status !== 200 && !(a.status === 503 && a.code === "YAVIO-2402" && a.retryAfter !== undefined),
    )
    expect(unexpected).toEqual([])

    const stored = await readStoredEvents(dir)
    const acknowledged = [...answers].filter(([, a]) => a.status === 200).map(([b]) => batches[b]!)
    expect(missingFrom(stored.ids, idsOf(acknowledged))).toEqual([])
    // Nothing counted twice, in this test's events or anyone's.
    expect({ final: stored.final, distinct: stored.distinct }).toEqual({
      final: stored.ids.size,
      distinct: stored.ids.size,
    })
    // "Stop accepting, flush, answer, exit": no request may be left without an answer (the
    // exit would then wait on the client to give up).
    expect(unanswered).toEqual([])
  }, 90_000)
})
