/**
 * Test doubles for the SDK's seams: an `EventSink` that records every event it is given and a
 * `SdkLogger` that records every coded line. Used in place of the HTTP transport and the stderr
 * logger through the internal hooks of `runtime.ts`.
 */

import type { EventSink, SdkEvent, SdkLogger, SdkLogLevel } from "../../src/core/contracts.js"

export class RecordingSink implements EventSink {
  readonly events: SdkEvent[] = []
  flushes = 0
  shutdowns = 0

  readonly enqueue = (event: SdkEvent): void => {
    this.events.push(event)
  }

  readonly flush = async (): Promise<void> => {
    this.flushes++
  }

  readonly shutdown = async (): Promise<void> => {
    this.shutdowns++
  }

  ofType(type: string): SdkEvent[] {
    return this.events.filter((event) => event.event_type === type)
  }

  /** The only event of this type (fails the test when there are none or several). */
  one(type: string, predicate: (event: SdkEvent) => boolean = () => true): SdkEvent {
    const found = this.ofType(type).filter(predicate)
    if (found.length !== 1) {
      throw new Error(`expected one ${type} event, found ${found.length}: ${JSON.stringify(this.summary())}`)
    }
    return found[0]!
  }

  clear(): void {
    this.events.length = 0
  }

  summary(): string[] {
    return this.events.map(
      (event) => `${event.event_type}${event.event_name === undefined ? "" : `:${event.event_name}`}`,
    )
  }

  /** Resolves once `predicate` holds (events emitted after a response was sent, e.g. disconnect). */
  async waitFor(predicate: (events: ReadonlyArray<SdkEvent>) => boolean, timeoutMs = 3000): Promise<void> {
    const deadline = Date.now() + timeoutMs
    while (!predicate(this.events)) {
      if (Date.now() > deadline)
        throw new Error(`timed out waiting for events; have ${JSON.stringify(this.summary())}`)
      await new Promise((resolve) => setTimeout(resolve, 5))
    }
  }
}

export interface LogLine {
  readonly level: SdkLogLevel
  readonly code: string
  readonly message: string
}

export class RecordingLogger implements SdkLogger {
  readonly lines: LogLine[] = []
  /** Uncoded diagnostic lines (`debug`); events are not announced (`debugEnabled` unset). */
  readonly debugs: string[] = []
  readonly debug = (message: string): void => {
    this.debugs.push(message)
  }
  private readonly onceKeys = new Set<string>()

  readonly log = (level: SdkLogLevel, code: `YAVIO-1${string}`, message: string): void => {
    this.lines.push({ level, code, message })
  }

  readonly once = (level: SdkLogLevel, code: `YAVIO-1${string}`, message: string): void => {
    if (this.onceKeys.has(code)) return
    this.onceKeys.add(code)
    this.log(level, code, message)
  }

  codes(): string[] {
    return this.lines.map((line) => line.code)
  }

  count(code: string): number {
    return this.lines.filter((line) => line.code === code).length
  }
}
