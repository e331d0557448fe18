/**
 * Shutdown flush on process end (sdk.md §6.4). SIGTERM, SIGINT and `beforeExit` shut every
 * registered sink down (each bounded by its own shutdown timeout). A listener on SIGTERM or
 * SIGINT cancels Node's default exit, so when the SDK's is the only listener for the signal it
 * exits afterwards with 128 + the signal number; when the host listens too, exiting is the
 * host's business. The listeners are installed once per process, however many sinks there are
 * (and however many copies of the SDK are loaded: the registry lives on `globalThis`).
 */

import { constants } from "node:os"
import type { EventSink, SdkLogger } from "../core/contracts.js"

type ExitSignal = "SIGTERM" | "SIGINT"
const SIGNALS: ReadonlyArray<ExitSignal> = ["SIGTERM", "SIGINT"]

interface Registry {
  readonly sinks: Set<EventSink>
  logger: SdkLogger | undefined
  installed: boolean
  /** Set while the sinks are being shut down because of a signal. */
  signalled: ExitSignal | undefined
  readonly onSignal: (signal: ExitSignal) => void
  readonly onBeforeExit: () => void
}

const REGISTRY_KEY = Symbol.for("yavio.sdk.shutdownHooks")

/** The exit code of a process ended by `signal`: 128 + its number (SIGTERM 143, SIGINT 130). */
export const signalExitCode = (signal: ExitSignal): number => 128 + constants.signals[signal]

const shutdownAll = async (registry: Registry): Promise<void> => {
  await Promise.allSettled([...registry.sinks].map((sink) => sink.shutdown()))
}

const createRegistry = (): Registry => {
  const registry: Registry = {
    sinks: new Set(),
    logger: undefined,
    installed: false,
    signalled: undefined,
    onSignal: (signal) => {
      // Counted now, not at install time: the host may have added its own listener since.
      const alone = process.listenerCount(signal) === 1
      if (registry.signalled !== undefined) {
        // A second Ctrl-C while flushing: the user wants out now.
        if (alone) process.exit(signalExitCode(signal))
        return
      }
      registry.signalled = signal
      registry.logger?.debug?.(`${signal}: flushing ${registry.sinks.size} sink(s) before exit`)
      void shutdownAll(registry).then(() => {
        if (alone) process.exit(signalExitCode(signal))
      })
    },
    onBeforeExit: () => {
      // Shutting down schedules the final requests, so the loop runs on and `beforeExit` comes
      // again once they are done; shutdown is idempotent, so the second time nothing happens.
      void shutdownAll(registry)
    },
  }
  return registry
}

const getRegistry = (): Registry => {
  const holder = globalThis as { [REGISTRY_KEY]?: Registry }
  holder[REGISTRY_KEY] ??= createRegistry()
  return holder[REGISTRY_KEY]
}

/**
 * Registers `sink` for the shutdown flush and installs the process listeners if they are not
 * there yet. Returns a function that unregisters the sink (and removes the listeners when it
 * was the last one).
 */
export const installShutdownHooks = (sink: EventSink, logger: SdkLogger): (() => void) => {
  const registry = getRegistry()
  registry.sinks.add(sink)
  registry.logger ??= logger
  if (!registry.installed && typeof process !== "undefined" && typeof process.on === "function") {
    for (const signal of SIGNALS) process.on(signal, registry.onSignal)
    process.on("beforeExit", registry.onBeforeExit)
    registry.installed = true
  }
  return () => {
    registry.sinks.delete(sink)
    if (registry.sinks.size === 0 && registry.installed) {
      for (const signal of SIGNALS) process.off(signal, registry.onSignal)
      process.off("beforeExit", registry.onBeforeExit)
      registry.installed = false
      registry.logger = undefined
    }
  }
}
