/**
 * Session state kept per SDK instance (sdk.md §2.6, §2.7): who the user is, the last tool called
 * (retry detection), per-session counters, open multi-round-trip inputs and the latest widget
 * trace. Bounded: sessions idle for longer than the inactivity window are swept, and the store
 * never holds more than `MAX_SESSIONS` (oldest activity first out).
 */

import { newSessionId } from "../core/ids.js"

/** A trace and its step counter (`step_sequence` 0, 1, 2 … per trace). */
export interface TraceState {
  readonly id: string
  nextStep: number
}

/** A request for client input (v2 `input_required`) waiting for the client's answer. */
export interface PendingInput {
  readonly kind: "elicitation" | "sampling"
  readonly trace: TraceState
  readonly toolName: string
  readonly isRetry: boolean
  readonly startedAt: number
  readonly params: Readonly<Record<string, unknown>>
}

export interface WidgetTrace {
  readonly trace: TraceState
  readonly toolName: string
}

export interface SessionState {
  readonly id: string
  userId: string | undefined
  traits: Record<string, unknown> | undefined
  /** Name of the previous tool invocation of this session (retry detection). */
  lastTool: string | undefined
  lastSeen: number
  resourceCounts: Map<string, number> | undefined
  promptCounts: Map<string, number> | undefined
  pendingInputs: Map<string, PendingInput> | undefined
  latestWidget: WidgetTrace | undefined
}

/** Same client identity with no request for this long starts a new session (sdk.md §2.7). */
export const INACTIVITY_WINDOW_MS = 30 * 60 * 1000
export const MAX_SESSIONS = 10_000
/** A session active again within this long keeps its place in the eviction order. */
const REORDER_AFTER_MS = 1000
/** Open `input_required` requests are forgotten after this long. */
const PENDING_INPUT_TTL_MS = 60 * 60 * 1000

/** The session id grammar ingest accepts: `ses_` + printable ASCII, ≤ 128 characters. */
const SESSION_ID_PATTERN = /^ses_[\x21-\x7E]+$/

/** `ses_` + the given handle, or `undefined` when the result would not be a valid session id. */
export const toSessionId = (handle: string): string | undefined => {
  const id = handle.startsWith("ses_") ? handle : `ses_${handle}`
  return id.length <= 128 && SESSION_ID_PATTERN.test(id) ? id : undefined
}

export class SessionStore {
  private readonly sessions = new Map<string, SessionState>()
  /** Client identity → session id of the inactivity-window strategy. */
  private readonly windows = new Map<string, string>()
  private operations = 0

  constructor(private readonly now: () => number = Date.now) {}

  get size(): number {
    return this.sessions.size
  }

  /** The session with this id, created when unknown; marks it active. */
  get(id: string, now = this.now()): SessionState {
    let session = this.sessions.get(id)
    if (session === undefined) {
      session = {
        id,
        userId: undefined,
        traits: undefined,
        lastTool: undefined,
        lastSeen: now,
        resourceCounts: undefined,
        promptCounts: undefined,
        pendingInputs: undefined,
        latestWidget: undefined,
      }
      this.sessions.set(id, session)
      this.maintain(now)
    } else {
      // Re-insert so iteration order is least-recently-active first (eviction order); at most
      // once a second per session, which keeps that order to the second and the Map churn off
      // every tool call.
      if (now - session.lastSeen >= REORDER_AFTER_MS) {
        this.sessions.delete(id)
        this.sessions.set(id, session)
      }
      session.lastSeen = now
    }
    return session
  }

  has(id: string): boolean {
    return this.sessions.has(id)
  }

  /** A fresh session with a generated id. */
  create(): SessionState {
    return this.get(newSessionId())
  }

  /** The session has ended (transport disconnect): its state is dropped. */
  end(id: string): void {
    this.sessions.delete(id)
  }

  /**
   * Inactivity-window strategy: the session of this client identity, or a new one when the
   * identity was idle for longer than the window.
   */
  forIdentity(identity: string): SessionState {
    const now = this.now()
    const existing = this.windows.get(identity)
    if (existing !== undefined) {
      const session = this.sessions.get(existing)
      if (session !== undefined && now - session.lastSeen <= INACTIVITY_WINDOW_MS)
        return this.get(existing, now)
    }
    const session = this.get(newSessionId(), now)
    this.windows.delete(identity)
    this.windows.set(identity, session.id)
    return session
  }

  private maintain(now: number): void {
    if (++this.operations % 256 === 0) {
      for (const [id, session] of this.sessions) {
        if (now - session.lastSeen <= INACTIVITY_WINDOW_MS) break // the rest were active later
        this.sessions.delete(id)
      }
      for (const [identity, id] of this.windows) {
        if (!this.sessions.has(id)) this.windows.delete(identity)
      }
    }
    while (this.sessions.size > MAX_SESSIONS) {
      const oldest = this.sessions.keys().next()
      if (oldest.done === true) break
      this.sessions.delete(oldest.value)
    }
    while (this.windows.size > MAX_SESSIONS) {
      const oldest = this.windows.keys().next()
      if (oldest.done === true) break
      this.windows.delete(oldest.value)
    }
  }
}

/** Registers an open input request of a session. */
export const addPendingInput = (session: SessionState, key: string, input: PendingInput): void => {
  session.pendingInputs ??= new Map()
  const now = input.startedAt
  for (const [k, pending] of session.pendingInputs) {
    if (now - pending.startedAt > PENDING_INPUT_TTL_MS) session.pendingInputs.delete(k)
  }
  session.pendingInputs.set(key, input)
}

/** Increments a per-session counter and returns the new count. */
export const bumpCount = (
  session: SessionState,
  which: "resourceCounts" | "promptCounts",
  name: string,
): number => {
  let counts = session[which]
  if (counts === undefined) {
    counts = new Map()
    session[which] = counts
  }
  const next = (counts.get(name) ?? 0) + 1
  counts.set(name, next)
  if (counts.size > 1000) {
    const first = counts.keys().next()
    if (first.done !== true) counts.delete(first.value)
  }
  return next
}
