// Child process for transport.signals.test.ts: sinks pointed at the test's ingest server,
// shutdown hooks installed as the SDK does, then waits for the parent's signal (or, in
// "beforeExit"/"unref" modes, simply runs out of work).
import { createLogger } from "../src/core/logger.js"
import { createHttpTransport } from "../src/transport/HttpTransport.js"
import { installShutdownHooks } from "../src/transport/signals.js"
import { trackEvent } from "./transport.support.js"

const mode = process.env.YAVIO_TEST_MODE ?? "alone"
const baseUrl = process.env.YAVIO_TEST_BASE_URL ?? ""
const sinkCount = Number(process.env.YAVIO_TEST_SINKS ?? "1")
const logger = createLogger({ sink: (_level, line) => process.stderr.write(`${line}\n`) })

const sinks: Array<{ shutdown: () => Promise<void> }> = []
for (let s = 0; s < sinkCount; s++) {
  const sink = createHttpTransport({
    config: { apiKey: `yav_sink${s}`, baseUrl },
    logger,
    sdkVersion: "0.0.0-test",
  })
  sinks.push(sink)
  if (mode !== "unref") installShutdownHooks(sink, logger)
  for (let i = 0; i < 3; i++) sink.enqueue(trackEvent(`sink${s}-${i}`))
}

if (mode === "host") {
  // The host's own handler: waits for the SDK's flush (shutdown() is idempotent, so this is the
  // same promise the SDK's listener awaits), then exits its own way. Had the SDK exited on its
  // own, the code would be 143.
  process.on("SIGTERM", () => {
    void Promise.all(sinks.map((sink) => sink.shutdown())).then(() => {
      setImmediate(() => process.exit(42))
    })
  })
}
if (mode === "alone" || mode === "host") setInterval(() => {}, 1_000) // a server's open handle
process.stdout.write(`ready ${process.listenerCount("SIGTERM")} ${process.listenerCount("beforeExit")}\n`)
