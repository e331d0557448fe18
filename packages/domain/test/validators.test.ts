import { readFileSync } from "node:fs"
import { pathToFileURL } from "node:url"
import { Either } from "effect"
import { beforeAll, describe, expect, it } from "vitest"
import { GENERATED_FILE, renderValidators } from "../scripts/generate-validators.js"
import { decodeEvent } from "../src/events/decodeEvent.js"
import { KNOWN_EVENT_TYPES } from "../src/events/EventType.js"
import {
  edgeCaseEvents,
  genericEvent,
  invalidEvents,
  type JsonEvent,
  validEvents,
} from "./fixtures/events.js"

// The SDK package is not a dependency of the domain (it must stay dependency-free itself), so
// the committed generated module is loaded by path at run time.
type ValidationResult =
  | { readonly ok: true }
  | { readonly ok: false; readonly code: string; readonly field: string; readonly message: string }
interface GeneratedValidators {
  readonly validateEvent: (event: unknown) => ValidationResult
  readonly KNOWN_EVENT_TYPES: ReadonlyArray<string>
}
let generated: GeneratedValidators
beforeAll(async () => {
  generated = (await import(pathToFileURL(GENERATED_FILE).href)) as GeneratedValidators
})

/** decodeEvent's verdict in the shape of validateEvent's. */
const decodeVerdict = (event: unknown): ValidationResult =>
  Either.match(decodeEvent(event), {
    onRight: () => ({ ok: true }),
    onLeft: ({ code, message, path }) => ({ ok: false, code, field: String(path[0] ?? ""), message }),
  })

describe("validators.generated.ts", () => {
  it("is fresh: regenerating gives the committed file", () => {
    expect(readFileSync(GENERATED_FILE, "utf8")).toBe(renderValidators())
  })

  it("has no imports", () => {
    expect(readFileSync(GENERATED_FILE, "utf8")).not.toMatch(/^\s*import\b|\brequire\(/m)
  })

  it("lists the known event types", () => {
    expect(generated.KNOWN_EVENT_TYPES).toEqual(KNOWN_EVENT_TYPES)
  })
})

describe("validateEvent agrees with decodeEvent", () => {
  it.each(KNOWN_EVENT_TYPES)("on the valid %s", (type) => {
    expect(generated.validateEvent(validEvents[type])).toEqual({ ok: true })
  })

  it.each([{ name: "generic event", event: genericEvent }, ...edgeCaseEvents])(
    "on the valid $name",
    ({ event }) => {
      expect(generated.validateEvent(event)).toEqual({ ok: true })
    },
  )

  it.each(invalidEvents)("on $name: $code", ({ event, code, field }) => {
    const verdict = generated.validateEvent(event)
    expect(verdict).toEqual(decodeVerdict(event))
    expect(verdict).toMatchObject({ ok: false, code, field })
  })

  // Beyond the named fixtures: every field of every valid event replaced by values of every
  // JSON kind and some boundary values, plus every field removed. Code, field and message must
  // match exactly.
  const replacements: ReadonlyArray<unknown> = [
    null,
    true,
    0,
    -1,
    1.5,
    70_000,
    4_294_967_296,
    "",
    "text",
    "EUR",
    "x".repeat(129),
    "x".repeat(257),
    "2025-06-01T12:00:00Z",
    "2025-13-01T12:00:00Z",
    "tr_abc",
    "ses_abc",
    "tool_call",
    "some_new_type",
    [],
    ["a"],
    [1],
    {},
    { a: "b" },
    { a: 1 },
  ]
  const variants: Array<readonly [string, JsonEvent]> = []
  for (const base of [...Object.values(validEvents), genericEvent]) {
    for (const field of Object.keys(base)) {
      const { [field]: _removed, ...without } = base
      variants.push([`${base.event_type} without ${field}`, without])
      for (const value of replacements) {
        variants.push([
          `${base.event_type} with ${field} = ${JSON.stringify(value).slice(0, 20)}`,
          { ...base, [field]: value },
        ])
      }
    }
  }

  it(`on ${variants.length} mutated events`, () => {
    const disagreements = variants
      .map(([name, event]) => ({
        name,
        validator: generated.validateEvent(event),
        decoder: decodeVerdict(event),
      }))
      .filter(({ validator, decoder }) => JSON.stringify(validator) !== JSON.stringify(decoder))
    expect(disagreements).toEqual([])
  })
})
