// GENERATED FILE, do not edit. Made by packages/domain/scripts/generate-validators.ts from the
// event Schemas in packages/domain/src/events, so the SDK checks events by the same rules and
// YAVIO codes as ingest's decodeEvent. After changing a Schema, regenerate:
//   node --import tsx packages/domain/scripts/generate-validators.ts
// CI runs the same command with --check and fails when this file is stale.

export const KNOWN_EVENT_TYPES = [
  "tool_call",
  "connection",
  "tool_discovery",
  "resource_access",
  "prompt_usage",
  "sampling_call",
  "elicitation",
  "widget_response",
  "step",
  "track",
  "conversion",
  "identify",
  "widget_render",
  "widget_error",
  "widget_visibility",
  "widget_click",
  "widget_rage_click",
  "widget_scroll",
  "widget_form_field",
  "widget_form_submit",
  "widget_link_click",
  "widget_navigation",
  "widget_focus",
  "widget_performance",
] as const
export type KnownEventType = (typeof KNOWN_EVENT_TYPES)[number]

/** Largest accepted event, serialised as JSON (YAVIO-2108 at ingest). */
export const MAX_EVENT_BYTES = 51200

const NOT_AN_OBJECT_MESSAGE = "event must be a JSON object"
const MISSING_MESSAGE = "is required"

export type ValidationResult =
  | { readonly ok: true }
  | { readonly ok: false; readonly code: string; readonly field: string; readonly message: string }

interface Failure {
  readonly code: string
  /** Completes "<field> …". */
  readonly message: string
}

type StringCheck = (
  | { readonly kind: "maxLength"; readonly limit: number }
  | { readonly kind: "pattern"; readonly regex: RegExp }
  | { readonly kind: "calendarDate" }
  | { readonly kind: "notOneOf"; readonly values: ReadonlyArray<string> }
) & { readonly failure?: Failure }

type NumberCheck = (
  | { readonly kind: "int" }
  | { readonly kind: "finite" }
  | { readonly kind: "range"; readonly min?: number; readonly max?: number }
) & { readonly failure?: Failure }

type Rule =
  | { readonly type: "string"; readonly checks: ReadonlyArray<StringCheck> }
  | { readonly type: "number"; readonly checks: ReadonlyArray<NumberCheck> }
  | { readonly type: "literal"; readonly values: ReadonlyArray<string | number | boolean | null> }
  | { readonly type: "object" }
  | { readonly type: "unknown" }
  | { readonly type: "array"; readonly items: Rule }
  | { readonly type: "record"; readonly values: Rule }
  | { readonly type: "union"; readonly members: ReadonlyArray<Rule> }

interface FieldRule {
  readonly name: string
  readonly required: boolean
  /** Used when the value has the wrong shape, or fails a check that names no failure of its own. */
  readonly failure: Failure
  readonly rule: Rule
}

const EVENT_TYPE_TOOL_CALL: FieldRule = {
  name: "event_type",
  required: true,
  failure: {
    code: "YAVIO-2102",
    message: "must be a lowercase identifier: a letter, then at most 63 letters, digits or underscores",
  },
  rule: { type: "literal", values: ["tool_call"] },
}

const EVENT_ID: FieldRule = {
  name: "event_id",
  required: false,
  failure: { code: "YAVIO-2100", message: "must be a UUID" },
  rule: {
    type: "string",
    checks: [
      {
        kind: "pattern",
        regex: /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/,
      },
    ],
  },
}

const TIMESTAMP: FieldRule = {
  name: "timestamp",
  required: true,
  failure: {
    code: "YAVIO-2103",
    message: "must be an ISO-8601 date-time with a time zone, or epoch milliseconds",
  },
  rule: {
    type: "union",
    members: [
      {
        type: "string",
        checks: [
          {
            kind: "pattern",
            regex:
              /^\d{4}-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12]\d|3[01])T(?:[01]\d|2[0-3]):[0-5]\d(?::[0-5]\d(?:\.\d{1,9})?)?(?:Z|[+-](?:[01]\d|2[0-3]):?[0-5]\d)$/,
            failure: {
              code: "YAVIO-2103",
              message: "must be an ISO-8601 date-time with a time zone, or epoch milliseconds",
            },
          },
          {
            kind: "calendarDate",
            failure: {
              code: "YAVIO-2103",
              message: "must be an ISO-8601 date-time with a time zone, or epoch milliseconds",
            },
          },
        ],
      },
      {
        type: "number",
        checks: [
          {
            kind: "finite",
            failure: {
              code: "YAVIO-2103",
              message: "must be an ISO-8601 date-time with a time zone, or epoch milliseconds",
            },
          },
          {
            kind: "range",
            min: 0,
            failure: {
              code: "YAVIO-2103",
              message: "must be an ISO-8601 date-time with a time zone, or epoch milliseconds",
            },
          },
        ],
      },
    ],
  },
}

const SESSION_ID: FieldRule = {
  name: "session_id",
  required: true,
  failure: { code: "YAVIO-2100", message: "must be ses_ followed by the session id" },
  rule: {
    type: "string",
    checks: [
      { kind: "maxLength", limit: 128, failure: { code: "YAVIO-2107", message: "exceeds 128 characters" } },
      { kind: "pattern", regex: /^ses_[\x21-\x7E]+$/ },
    ],
  },
}

const TRACE_ID: FieldRule = {
  name: "trace_id",
  required: true,
  failure: { code: "YAVIO-2100", message: "must be tr_ followed by URL-safe characters" },
  rule: {
    type: "string",
    checks: [
      { kind: "maxLength", limit: 128, failure: { code: "YAVIO-2106", message: "exceeds 128 characters" } },
      { kind: "pattern", regex: /^tr_[A-Za-z0-9_-]+$/ },
    ],
  },
}

const SOURCE: FieldRule = {
  name: "source",
  required: true,
  failure: { code: "YAVIO-2100", message: "must be one of: server, widget" },
  rule: { type: "literal", values: ["server", "widget"] },
}

const EVENT_NAME: FieldRule = {
  name: "event_name",
  required: true,
  failure: { code: "YAVIO-2100", message: "must be a string" },
  rule: {
    type: "string",
    checks: [
      { kind: "maxLength", limit: 256, failure: { code: "YAVIO-2104", message: "exceeds 256 characters" } },
    ],
  },
}

const USER_ID: FieldRule = {
  name: "user_id",
  required: false,
  failure: { code: "YAVIO-2100", message: "must be a string or null" },
  rule: {
    type: "union",
    members: [
      {
        type: "string",
        checks: [
          {
            kind: "maxLength",
            limit: 256,
            failure: { code: "YAVIO-2105", message: "exceeds 256 characters" },
          },
        ],
      },
      { type: "literal", values: [null] },
    ],
  },
}

const PLATFORM: FieldRule = {
  name: "platform",
  required: false,
  failure: { code: "YAVIO-2100", message: "must be a string" },
  rule: { type: "string", checks: [] },
}

const SDK_VERSION: FieldRule = {
  name: "sdk_version",
  required: false,
  failure: { code: "YAVIO-2100", message: "must be a string" },
  rule: { type: "string", checks: [] },
}

const COUNTRY_CODE: FieldRule = {
  name: "country_code",
  required: false,
  failure: { code: "YAVIO-2100", message: "must be a string" },
  rule: { type: "string", checks: [] },
}

const METADATA: FieldRule = {
  name: "metadata",
  required: false,
  failure: { code: "YAVIO-2100", message: "must be a JSON object" },
  rule: { type: "object" },
}

const LATENCY_MS: FieldRule = {
  name: "latency_ms",
  required: false,
  failure: { code: "YAVIO-2100", message: "must be a non-negative number" },
  rule: { type: "number", checks: [{ kind: "finite" }, { kind: "range", min: 0 }] },
}

const STATUS: FieldRule = {
  name: "status",
  required: false,
  failure: { code: "YAVIO-2100", message: "must be one of: success, error" },
  rule: { type: "literal", values: ["success", "error"] },
}

const ERROR_CATEGORY: FieldRule = {
  name: "error_category",
  required: false,
  failure: {
    code: "YAVIO-2100",
    message: "must be one of: auth, validation, timeout, rate_limit, server, unknown",
  },
  rule: { type: "literal", values: ["auth", "validation", "timeout", "rate_limit", "server", "unknown"] },
}

const ERROR_MESSAGE: FieldRule = {
  name: "error_message",
  required: false,
  failure: { code: "YAVIO-2100", message: "must be a string" },
  rule: { type: "string", checks: [] },
}

const IS_RETRY: FieldRule = {
  name: "is_retry",
  required: false,
  failure: { code: "YAVIO-2100", message: "must be 0 or 1" },
  rule: { type: "literal", values: [0, 1] },
}

const INPUT_KEYS: FieldRule = {
  name: "input_keys",
  required: false,
  failure: { code: "YAVIO-2100", message: "must be an array of strings" },
  rule: { type: "array", items: { type: "string", checks: [] } },
}

const INPUT_TYPES: FieldRule = {
  name: "input_types",
  required: false,
  failure: { code: "YAVIO-2100", message: "must be an object whose values are strings" },
  rule: { type: "record", values: { type: "string", checks: [] } },
}

const INPUT_VALUES: FieldRule = {
  name: "input_values",
  required: false,
  failure: { code: "YAVIO-2100", message: "must be a JSON object" },
  rule: { type: "object" },
}

const OUTPUT_VALUES: FieldRule = {
  name: "output_values",
  required: false,
  failure: { code: "YAVIO-2100", message: "must be a JSON object" },
  rule: { type: "object" },
}

const INTENT_SIGNALS: FieldRule = {
  name: "intent_signals",
  required: false,
  failure: { code: "YAVIO-2100", message: "must be an array" },
  rule: { type: "array", items: { type: "unknown" } },
}

const TOKENS_IN: FieldRule = {
  name: "tokens_in",
  required: false,
  failure: { code: "YAVIO-2100", message: "must be an integer between 0 and 4294967295" },
  rule: { type: "number", checks: [{ kind: "int" }, { kind: "range", min: 0, max: 4294967295 }] },
}

const TOKENS_OUT: FieldRule = {
  name: "tokens_out",
  required: false,
  failure: { code: "YAVIO-2100", message: "must be an integer between 0 and 4294967295" },
  rule: { type: "number", checks: [{ kind: "int" }, { kind: "range", min: 0, max: 4294967295 }] },
}

const EVENT_TYPE_CONNECTION: FieldRule = {
  name: "event_type",
  required: true,
  failure: {
    code: "YAVIO-2102",
    message: "must be a lowercase identifier: a letter, then at most 63 letters, digits or underscores",
  },
  rule: { type: "literal", values: ["connection"] },
}

const TRACE_ID_OPTIONAL: FieldRule = {
  name: "trace_id",
  required: false,
  failure: { code: "YAVIO-2100", message: "must be tr_ followed by URL-safe characters" },
  rule: {
    type: "string",
    checks: [
      { kind: "maxLength", limit: 128, failure: { code: "YAVIO-2106", message: "exceeds 128 characters" } },
      { kind: "pattern", regex: /^tr_[A-Za-z0-9_-]+$/ },
    ],
  },
}

const EVENT_NAME_OPTIONAL: FieldRule = {
  name: "event_name",
  required: false,
  failure: { code: "YAVIO-2100", message: "must be a string" },
  rule: {
    type: "string",
    checks: [
      { kind: "maxLength", limit: 256, failure: { code: "YAVIO-2104", message: "exceeds 256 characters" } },
    ],
  },
}

const PROTOCOL_VERSION: FieldRule = {
  name: "protocol_version",
  required: false,
  failure: { code: "YAVIO-2100", message: "must be a string" },
  rule: { type: "string", checks: [] },
}

const CLIENT_NAME: FieldRule = {
  name: "client_name",
  required: false,
  failure: { code: "YAVIO-2100", message: "must be a string" },
  rule: { type: "string", checks: [] },
}

const CLIENT_VERSION: FieldRule = {
  name: "client_version",
  required: false,
  failure: { code: "YAVIO-2100", message: "must be a string" },
  rule: { type: "string", checks: [] },
}

const CONNECTION_DURATION_MS: FieldRule = {
  name: "connection_duration_ms",
  required: false,
  failure: { code: "YAVIO-2100", message: "must be a non-negative number" },
  rule: { type: "number", checks: [{ kind: "finite" }, { kind: "range", min: 0 }] },
}

const EVENT_TYPE_TOOL_DISCOVERY: FieldRule = {
  name: "event_type",
  required: true,
  failure: {
    code: "YAVIO-2102",
    message: "must be a lowercase identifier: a letter, then at most 63 letters, digits or underscores",
  },
  rule: { type: "literal", values: ["tool_discovery"] },
}

const EVENT_TYPE_RESOURCE_ACCESS: FieldRule = {
  name: "event_type",
  required: true,
  failure: {
    code: "YAVIO-2102",
    message: "must be a lowercase identifier: a letter, then at most 63 letters, digits or underscores",
  },
  rule: { type: "literal", values: ["resource_access"] },
}

const EVENT_TYPE_PROMPT_USAGE: FieldRule = {
  name: "event_type",
  required: true,
  failure: {
    code: "YAVIO-2102",
    message: "must be a lowercase identifier: a letter, then at most 63 letters, digits or underscores",
  },
  rule: { type: "literal", values: ["prompt_usage"] },
}

const EVENT_TYPE_SAMPLING_CALL: FieldRule = {
  name: "event_type",
  required: true,
  failure: {
    code: "YAVIO-2102",
    message: "must be a lowercase identifier: a letter, then at most 63 letters, digits or underscores",
  },
  rule: { type: "literal", values: ["sampling_call"] },
}

const EVENT_TYPE_ELICITATION: FieldRule = {
  name: "event_type",
  required: true,
  failure: {
    code: "YAVIO-2102",
    message: "must be a lowercase identifier: a letter, then at most 63 letters, digits or underscores",
  },
  rule: { type: "literal", values: ["elicitation"] },
}

const EVENT_TYPE_WIDGET_RESPONSE: FieldRule = {
  name: "event_type",
  required: true,
  failure: {
    code: "YAVIO-2102",
    message: "must be a lowercase identifier: a letter, then at most 63 letters, digits or underscores",
  },
  rule: { type: "literal", values: ["widget_response"] },
}

const EVENT_TYPE_STEP: FieldRule = {
  name: "event_type",
  required: true,
  failure: {
    code: "YAVIO-2102",
    message: "must be a lowercase identifier: a letter, then at most 63 letters, digits or underscores",
  },
  rule: { type: "literal", values: ["step"] },
}

const STEP_SEQUENCE: FieldRule = {
  name: "step_sequence",
  required: false,
  failure: { code: "YAVIO-2100", message: "must be an integer between 0 and 4294967295" },
  rule: { type: "number", checks: [{ kind: "int" }, { kind: "range", min: 0, max: 4294967295 }] },
}

const VIEWPORT_WIDTH: FieldRule = {
  name: "viewport_width",
  required: false,
  failure: { code: "YAVIO-2100", message: "must be an integer between 0 and 65535" },
  rule: { type: "number", checks: [{ kind: "int" }, { kind: "range", min: 0, max: 65535 }] },
}

const VIEWPORT_HEIGHT: FieldRule = {
  name: "viewport_height",
  required: false,
  failure: { code: "YAVIO-2100", message: "must be an integer between 0 and 65535" },
  rule: { type: "number", checks: [{ kind: "int" }, { kind: "range", min: 0, max: 65535 }] },
}

const EVENT_TYPE_TRACK: FieldRule = {
  name: "event_type",
  required: true,
  failure: {
    code: "YAVIO-2102",
    message: "must be a lowercase identifier: a letter, then at most 63 letters, digits or underscores",
  },
  rule: { type: "literal", values: ["track"] },
}

const EVENT_TYPE_CONVERSION: FieldRule = {
  name: "event_type",
  required: true,
  failure: {
    code: "YAVIO-2102",
    message: "must be a lowercase identifier: a letter, then at most 63 letters, digits or underscores",
  },
  rule: { type: "literal", values: ["conversion"] },
}

const CONVERSION_VALUE: FieldRule = {
  name: "conversion_value",
  required: true,
  failure: { code: "YAVIO-2100", message: "must be a finite number" },
  rule: { type: "number", checks: [{ kind: "finite" }] },
}

const CONVERSION_CURRENCY: FieldRule = {
  name: "conversion_currency",
  required: true,
  failure: { code: "YAVIO-2100", message: "must be a three-letter upper-case ISO 4217 code" },
  rule: { type: "string", checks: [{ kind: "pattern", regex: /^[A-Z]{3}$/ }] },
}

const EVENT_TYPE_IDENTIFY: FieldRule = {
  name: "event_type",
  required: true,
  failure: {
    code: "YAVIO-2102",
    message: "must be a lowercase identifier: a letter, then at most 63 letters, digits or underscores",
  },
  rule: { type: "literal", values: ["identify"] },
}

const USER_ID_REQUIRED: FieldRule = {
  name: "user_id",
  required: true,
  failure: { code: "YAVIO-2100", message: "must be a string" },
  rule: {
    type: "string",
    checks: [
      { kind: "maxLength", limit: 256, failure: { code: "YAVIO-2105", message: "exceeds 256 characters" } },
    ],
  },
}

const USER_TRAITS: FieldRule = {
  name: "user_traits",
  required: false,
  failure: { code: "YAVIO-2100", message: "must be a JSON object" },
  rule: { type: "object" },
}

const EVENT_TYPE_WIDGET_RENDER: FieldRule = {
  name: "event_type",
  required: true,
  failure: {
    code: "YAVIO-2102",
    message: "must be a lowercase identifier: a letter, then at most 63 letters, digits or underscores",
  },
  rule: { type: "literal", values: ["widget_render"] },
}

const DEVICE_PIXEL_RATIO: FieldRule = {
  name: "device_pixel_ratio",
  required: false,
  failure: { code: "YAVIO-2100", message: "must be a non-negative number" },
  rule: { type: "number", checks: [{ kind: "finite" }, { kind: "range", min: 0 }] },
}

const DEVICE_TOUCH: FieldRule = {
  name: "device_touch",
  required: false,
  failure: { code: "YAVIO-2100", message: "must be 0 or 1" },
  rule: { type: "literal", values: [0, 1] },
}

const CONNECTION_TYPE: FieldRule = {
  name: "connection_type",
  required: false,
  failure: { code: "YAVIO-2100", message: "must be a string" },
  rule: { type: "string", checks: [] },
}

const EVENT_TYPE_WIDGET_ERROR: FieldRule = {
  name: "event_type",
  required: true,
  failure: {
    code: "YAVIO-2102",
    message: "must be a lowercase identifier: a letter, then at most 63 letters, digits or underscores",
  },
  rule: { type: "literal", values: ["widget_error"] },
}

const EVENT_TYPE_WIDGET_VISIBILITY: FieldRule = {
  name: "event_type",
  required: true,
  failure: {
    code: "YAVIO-2102",
    message: "must be a lowercase identifier: a letter, then at most 63 letters, digits or underscores",
  },
  rule: { type: "literal", values: ["widget_visibility"] },
}

const VISIBLE_DURATION_MS: FieldRule = {
  name: "visible_duration_ms",
  required: false,
  failure: { code: "YAVIO-2100", message: "must be a non-negative number" },
  rule: { type: "number", checks: [{ kind: "finite" }, { kind: "range", min: 0 }] },
}

const EVENT_TYPE_WIDGET_CLICK: FieldRule = {
  name: "event_type",
  required: true,
  failure: {
    code: "YAVIO-2102",
    message: "must be a lowercase identifier: a letter, then at most 63 letters, digits or underscores",
  },
  rule: { type: "literal", values: ["widget_click"] },
}

const CLICK_COUNT: FieldRule = {
  name: "click_count",
  required: false,
  failure: { code: "YAVIO-2100", message: "must be an integer between 0 and 4294967295" },
  rule: { type: "number", checks: [{ kind: "int" }, { kind: "range", min: 0, max: 4294967295 }] },
}

const EVENT_TYPE_WIDGET_RAGE_CLICK: FieldRule = {
  name: "event_type",
  required: true,
  failure: {
    code: "YAVIO-2102",
    message: "must be a lowercase identifier: a letter, then at most 63 letters, digits or underscores",
  },
  rule: { type: "literal", values: ["widget_rage_click"] },
}

const EVENT_TYPE_WIDGET_SCROLL: FieldRule = {
  name: "event_type",
  required: true,
  failure: {
    code: "YAVIO-2102",
    message: "must be a lowercase identifier: a letter, then at most 63 letters, digits or underscores",
  },
  rule: { type: "literal", values: ["widget_scroll"] },
}

const SCROLL_DEPTH_PCT: FieldRule = {
  name: "scroll_depth_pct",
  required: false,
  failure: { code: "YAVIO-2100", message: "must be a number between 0 and 100" },
  rule: { type: "number", checks: [{ kind: "finite" }, { kind: "range", min: 0, max: 100 }] },
}

const EVENT_TYPE_WIDGET_FORM_FIELD: FieldRule = {
  name: "event_type",
  required: true,
  failure: {
    code: "YAVIO-2102",
    message: "must be a lowercase identifier: a letter, then at most 63 letters, digits or underscores",
  },
  rule: { type: "literal", values: ["widget_form_field"] },
}

const FIELD_NAME: FieldRule = {
  name: "field_name",
  required: false,
  failure: { code: "YAVIO-2100", message: "must be a string" },
  rule: { type: "string", checks: [] },
}

const EVENT_TYPE_WIDGET_FORM_SUBMIT: FieldRule = {
  name: "event_type",
  required: true,
  failure: {
    code: "YAVIO-2102",
    message: "must be a lowercase identifier: a letter, then at most 63 letters, digits or underscores",
  },
  rule: { type: "literal", values: ["widget_form_submit"] },
}

const EVENT_TYPE_WIDGET_LINK_CLICK: FieldRule = {
  name: "event_type",
  required: true,
  failure: {
    code: "YAVIO-2102",
    message: "must be a lowercase identifier: a letter, then at most 63 letters, digits or underscores",
  },
  rule: { type: "literal", values: ["widget_link_click"] },
}

const EVENT_TYPE_WIDGET_NAVIGATION: FieldRule = {
  name: "event_type",
  required: true,
  failure: {
    code: "YAVIO-2102",
    message: "must be a lowercase identifier: a letter, then at most 63 letters, digits or underscores",
  },
  rule: { type: "literal", values: ["widget_navigation"] },
}

const NAV_FROM: FieldRule = {
  name: "nav_from",
  required: false,
  failure: { code: "YAVIO-2100", message: "must be a string" },
  rule: { type: "string", checks: [] },
}

const NAV_TO: FieldRule = {
  name: "nav_to",
  required: false,
  failure: { code: "YAVIO-2100", message: "must be a string" },
  rule: { type: "string", checks: [] },
}

const EVENT_TYPE_WIDGET_FOCUS: FieldRule = {
  name: "event_type",
  required: true,
  failure: {
    code: "YAVIO-2102",
    message: "must be a lowercase identifier: a letter, then at most 63 letters, digits or underscores",
  },
  rule: { type: "literal", values: ["widget_focus"] },
}

const EVENT_TYPE_WIDGET_PERFORMANCE: FieldRule = {
  name: "event_type",
  required: true,
  failure: {
    code: "YAVIO-2102",
    message: "must be a lowercase identifier: a letter, then at most 63 letters, digits or underscores",
  },
  rule: { type: "literal", values: ["widget_performance"] },
}

const LOAD_TIME_MS: FieldRule = {
  name: "load_time_ms",
  required: false,
  failure: { code: "YAVIO-2100", message: "must be a non-negative number" },
  rule: { type: "number", checks: [{ kind: "finite" }, { kind: "range", min: 0 }] },
}

const EVENT_TYPE: FieldRule = {
  name: "event_type",
  required: true,
  failure: {
    code: "YAVIO-2102",
    message: "must be a lowercase identifier: a letter, then at most 63 letters, digits or underscores",
  },
  rule: {
    type: "string",
    checks: [
      {
        kind: "pattern",
        regex: /^[a-z][a-z0-9_]{0,63}$/,
        failure: {
          code: "YAVIO-2102",
          message: "must be a lowercase identifier: a letter, then at most 63 letters, digits or underscores",
        },
      },
      {
        kind: "notOneOf",
        values: [
          "tool_call",
          "connection",
          "tool_discovery",
          "resource_access",
          "prompt_usage",
          "sampling_call",
          "elicitation",
          "widget_response",
          "step",
          "track",
          "conversion",
          "identify",
          "widget_render",
          "widget_error",
          "widget_visibility",
          "widget_click",
          "widget_rage_click",
          "widget_scroll",
          "widget_form_field",
          "widget_form_submit",
          "widget_link_click",
          "widget_navigation",
          "widget_focus",
          "widget_performance",
        ],
        failure: {
          code: "YAVIO-2100",
          message: "names a known event type but the event lacks that type's fields",
        },
      },
    ],
  },
}

const FIELDS_BY_TYPE: { readonly [type: string]: ReadonlyArray<FieldRule> } = {
  tool_call: [
    EVENT_TYPE_TOOL_CALL,
    EVENT_ID,
    TIMESTAMP,
    SESSION_ID,
    TRACE_ID,
    SOURCE,
    EVENT_NAME,
    USER_ID,
    PLATFORM,
    SDK_VERSION,
    COUNTRY_CODE,
    METADATA,
    LATENCY_MS,
    STATUS,
    ERROR_CATEGORY,
    ERROR_MESSAGE,
    IS_RETRY,
    INPUT_KEYS,
    INPUT_TYPES,
    INPUT_VALUES,
    OUTPUT_VALUES,
    INTENT_SIGNALS,
    TOKENS_IN,
    TOKENS_OUT,
  ],
  connection: [
    EVENT_TYPE_CONNECTION,
    EVENT_ID,
    TIMESTAMP,
    SESSION_ID,
    TRACE_ID_OPTIONAL,
    SOURCE,
    EVENT_NAME_OPTIONAL,
    USER_ID,
    PLATFORM,
    SDK_VERSION,
    COUNTRY_CODE,
    METADATA,
    PROTOCOL_VERSION,
    CLIENT_NAME,
    CLIENT_VERSION,
    CONNECTION_DURATION_MS,
  ],
  tool_discovery: [
    EVENT_TYPE_TOOL_DISCOVERY,
    EVENT_ID,
    TIMESTAMP,
    SESSION_ID,
    TRACE_ID_OPTIONAL,
    SOURCE,
    EVENT_NAME_OPTIONAL,
    USER_ID,
    PLATFORM,
    SDK_VERSION,
    COUNTRY_CODE,
    METADATA,
  ],
  resource_access: [
    EVENT_TYPE_RESOURCE_ACCESS,
    EVENT_ID,
    TIMESTAMP,
    SESSION_ID,
    TRACE_ID,
    SOURCE,
    EVENT_NAME_OPTIONAL,
    USER_ID,
    PLATFORM,
    SDK_VERSION,
    COUNTRY_CODE,
    METADATA,
  ],
  prompt_usage: [
    EVENT_TYPE_PROMPT_USAGE,
    EVENT_ID,
    TIMESTAMP,
    SESSION_ID,
    TRACE_ID,
    SOURCE,
    EVENT_NAME_OPTIONAL,
    USER_ID,
    PLATFORM,
    SDK_VERSION,
    COUNTRY_CODE,
    METADATA,
  ],
  sampling_call: [
    EVENT_TYPE_SAMPLING_CALL,
    EVENT_ID,
    TIMESTAMP,
    SESSION_ID,
    TRACE_ID,
    SOURCE,
    EVENT_NAME_OPTIONAL,
    USER_ID,
    PLATFORM,
    SDK_VERSION,
    COUNTRY_CODE,
    METADATA,
    LATENCY_MS,
    TOKENS_IN,
    TOKENS_OUT,
  ],
  elicitation: [
    EVENT_TYPE_ELICITATION,
    EVENT_ID,
    TIMESTAMP,
    SESSION_ID,
    TRACE_ID,
    SOURCE,
    EVENT_NAME_OPTIONAL,
    USER_ID,
    PLATFORM,
    SDK_VERSION,
    COUNTRY_CODE,
    METADATA,
    LATENCY_MS,
  ],
  widget_response: [
    EVENT_TYPE_WIDGET_RESPONSE,
    EVENT_ID,
    TIMESTAMP,
    SESSION_ID,
    TRACE_ID,
    SOURCE,
    EVENT_NAME,
    USER_ID,
    PLATFORM,
    SDK_VERSION,
    COUNTRY_CODE,
    METADATA,
  ],
  step: [
    EVENT_TYPE_STEP,
    EVENT_ID,
    TIMESTAMP,
    SESSION_ID,
    TRACE_ID_OPTIONAL,
    SOURCE,
    EVENT_NAME,
    USER_ID,
    PLATFORM,
    SDK_VERSION,
    COUNTRY_CODE,
    METADATA,
    STEP_SEQUENCE,
    VIEWPORT_WIDTH,
    VIEWPORT_HEIGHT,
  ],
  track: [
    EVENT_TYPE_TRACK,
    EVENT_ID,
    TIMESTAMP,
    SESSION_ID,
    TRACE_ID_OPTIONAL,
    SOURCE,
    EVENT_NAME,
    USER_ID,
    PLATFORM,
    SDK_VERSION,
    COUNTRY_CODE,
    METADATA,
    VIEWPORT_WIDTH,
    VIEWPORT_HEIGHT,
  ],
  conversion: [
    EVENT_TYPE_CONVERSION,
    EVENT_ID,
    TIMESTAMP,
    SESSION_ID,
    TRACE_ID_OPTIONAL,
    SOURCE,
    EVENT_NAME,
    USER_ID,
    PLATFORM,
    SDK_VERSION,
    COUNTRY_CODE,
    METADATA,
    CONVERSION_VALUE,
    CONVERSION_CURRENCY,
    VIEWPORT_WIDTH,
    VIEWPORT_HEIGHT,
  ],
  identify: [
    EVENT_TYPE_IDENTIFY,
    EVENT_ID,
    TIMESTAMP,
    SESSION_ID,
    TRACE_ID_OPTIONAL,
    SOURCE,
    EVENT_NAME_OPTIONAL,
    USER_ID_REQUIRED,
    PLATFORM,
    SDK_VERSION,
    COUNTRY_CODE,
    METADATA,
    USER_TRAITS,
    VIEWPORT_WIDTH,
    VIEWPORT_HEIGHT,
  ],
  widget_render: [
    EVENT_TYPE_WIDGET_RENDER,
    EVENT_ID,
    TIMESTAMP,
    SESSION_ID,
    TRACE_ID,
    SOURCE,
    EVENT_NAME_OPTIONAL,
    USER_ID,
    PLATFORM,
    SDK_VERSION,
    COUNTRY_CODE,
    METADATA,
    DEVICE_PIXEL_RATIO,
    DEVICE_TOUCH,
    CONNECTION_TYPE,
    VIEWPORT_WIDTH,
    VIEWPORT_HEIGHT,
  ],
  widget_error: [
    EVENT_TYPE_WIDGET_ERROR,
    EVENT_ID,
    TIMESTAMP,
    SESSION_ID,
    TRACE_ID,
    SOURCE,
    EVENT_NAME_OPTIONAL,
    USER_ID,
    PLATFORM,
    SDK_VERSION,
    COUNTRY_CODE,
    METADATA,
    VIEWPORT_WIDTH,
    VIEWPORT_HEIGHT,
  ],
  widget_visibility: [
    EVENT_TYPE_WIDGET_VISIBILITY,
    EVENT_ID,
    TIMESTAMP,
    SESSION_ID,
    TRACE_ID,
    SOURCE,
    EVENT_NAME_OPTIONAL,
    USER_ID,
    PLATFORM,
    SDK_VERSION,
    COUNTRY_CODE,
    METADATA,
    VISIBLE_DURATION_MS,
    VIEWPORT_WIDTH,
    VIEWPORT_HEIGHT,
  ],
  widget_click: [
    EVENT_TYPE_WIDGET_CLICK,
    EVENT_ID,
    TIMESTAMP,
    SESSION_ID,
    TRACE_ID,
    SOURCE,
    EVENT_NAME_OPTIONAL,
    USER_ID,
    PLATFORM,
    SDK_VERSION,
    COUNTRY_CODE,
    METADATA,
    CLICK_COUNT,
    VIEWPORT_WIDTH,
    VIEWPORT_HEIGHT,
  ],
  widget_rage_click: [
    EVENT_TYPE_WIDGET_RAGE_CLICK,
    EVENT_ID,
    TIMESTAMP,
    SESSION_ID,
    TRACE_ID,
    SOURCE,
    EVENT_NAME_OPTIONAL,
    USER_ID,
    PLATFORM,
    SDK_VERSION,
    COUNTRY_CODE,
    METADATA,
    VIEWPORT_WIDTH,
    VIEWPORT_HEIGHT,
  ],
  widget_scroll: [
    EVENT_TYPE_WIDGET_SCROLL,
    EVENT_ID,
    TIMESTAMP,
    SESSION_ID,
    TRACE_ID,
    SOURCE,
    EVENT_NAME_OPTIONAL,
    USER_ID,
    PLATFORM,
    SDK_VERSION,
    COUNTRY_CODE,
    METADATA,
    SCROLL_DEPTH_PCT,
    VIEWPORT_WIDTH,
    VIEWPORT_HEIGHT,
  ],
  widget_form_field: [
    EVENT_TYPE_WIDGET_FORM_FIELD,
    EVENT_ID,
    TIMESTAMP,
    SESSION_ID,
    TRACE_ID,
    SOURCE,
    EVENT_NAME_OPTIONAL,
    USER_ID,
    PLATFORM,
    SDK_VERSION,
    COUNTRY_CODE,
    METADATA,
    FIELD_NAME,
    VIEWPORT_WIDTH,
    VIEWPORT_HEIGHT,
  ],
  widget_form_submit: [
    EVENT_TYPE_WIDGET_FORM_SUBMIT,
    EVENT_ID,
    TIMESTAMP,
    SESSION_ID,
    TRACE_ID,
    SOURCE,
    EVENT_NAME_OPTIONAL,
    USER_ID,
    PLATFORM,
    SDK_VERSION,
    COUNTRY_CODE,
    METADATA,
    STATUS,
    VIEWPORT_WIDTH,
    VIEWPORT_HEIGHT,
  ],
  widget_link_click: [
    EVENT_TYPE_WIDGET_LINK_CLICK,
    EVENT_ID,
    TIMESTAMP,
    SESSION_ID,
    TRACE_ID,
    SOURCE,
    EVENT_NAME_OPTIONAL,
    USER_ID,
    PLATFORM,
    SDK_VERSION,
    COUNTRY_CODE,
    METADATA,
    VIEWPORT_WIDTH,
    VIEWPORT_HEIGHT,
  ],
  widget_navigation: [
    EVENT_TYPE_WIDGET_NAVIGATION,
    EVENT_ID,
    TIMESTAMP,
    SESSION_ID,
    TRACE_ID,
    SOURCE,
    EVENT_NAME_OPTIONAL,
    USER_ID,
    PLATFORM,
    SDK_VERSION,
    COUNTRY_CODE,
    METADATA,
    NAV_FROM,
    NAV_TO,
    VIEWPORT_WIDTH,
    VIEWPORT_HEIGHT,
  ],
  widget_focus: [
    EVENT_TYPE_WIDGET_FOCUS,
    EVENT_ID,
    TIMESTAMP,
    SESSION_ID,
    TRACE_ID,
    SOURCE,
    EVENT_NAME_OPTIONAL,
    USER_ID,
    PLATFORM,
    SDK_VERSION,
    COUNTRY_CODE,
    METADATA,
    VIEWPORT_WIDTH,
    VIEWPORT_HEIGHT,
  ],
  widget_performance: [
    EVENT_TYPE_WIDGET_PERFORMANCE,
    EVENT_ID,
    TIMESTAMP,
    SESSION_ID,
    TRACE_ID,
    SOURCE,
    EVENT_NAME_OPTIONAL,
    USER_ID,
    PLATFORM,
    SDK_VERSION,
    COUNTRY_CODE,
    METADATA,
    LOAD_TIME_MS,
    VIEWPORT_WIDTH,
    VIEWPORT_HEIGHT,
  ],
}

const GENERIC_FIELDS: ReadonlyArray<FieldRule> = [
  EVENT_TYPE,
  EVENT_ID,
  TIMESTAMP,
  SESSION_ID,
  TRACE_ID_OPTIONAL,
  SOURCE,
  EVENT_NAME_OPTIONAL,
  USER_ID,
  PLATFORM,
  SDK_VERSION,
  COUNTRY_CODE,
  METADATA,
]

const isRecord = (value: unknown): value is { readonly [key: string]: unknown } =>
  typeof value === "object" && value !== null && !Array.isArray(value)

const isCalendarDate = (iso: string): boolean => {
  const year = Number(iso.slice(0, 4))
  const month = Number(iso.slice(5, 7))
  const day = Number(iso.slice(8, 10))
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0)
  const days =
    month === 2 ? (leap ? 29 : 28) : month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31
  return day <= days
}

const passesString = (check: StringCheck, value: string): boolean => {
  switch (check.kind) {
    case "maxLength":
      return value.length <= check.limit
    case "pattern":
      return check.regex.test(value)
    case "calendarDate":
      return isCalendarDate(value)
    case "notOneOf":
      return !check.values.includes(value)
  }
}

const passesNumber = (check: NumberCheck, value: number): boolean => {
  switch (check.kind) {
    case "int":
      return Number.isSafeInteger(value)
    case "finite":
      return Number.isFinite(value)
    case "range":
      return (
        (check.min === undefined || value >= check.min) && (check.max === undefined || value <= check.max)
      )
  }
}

/** undefined when the value passes; the failed check's own failure if it has one; else "invalid". */
const checkValue = (rule: Rule, value: unknown): Failure | "invalid" | undefined => {
  switch (rule.type) {
    case "string":
      if (typeof value !== "string") return "invalid"
      for (const check of rule.checks) if (!passesString(check, value)) return check.failure ?? "invalid"
      return undefined
    case "number":
      if (typeof value !== "number") return "invalid"
      for (const check of rule.checks) if (!passesNumber(check, value)) return check.failure ?? "invalid"
      return undefined
    case "literal":
      return rule.values.some((allowed) => allowed === value) ? undefined : "invalid"
    case "object":
      return isRecord(value) ? undefined : "invalid"
    case "unknown":
      return undefined
    case "array":
      if (!Array.isArray(value)) return "invalid"
      for (const item of value) {
        const outcome = checkValue(rule.items, item)
        if (outcome !== undefined) return outcome
      }
      return undefined
    case "record":
      if (!isRecord(value)) return "invalid"
      for (const key of Object.keys(value)) {
        const outcome = checkValue(rule.values, value[key])
        if (outcome !== undefined) return outcome
      }
      return undefined
    case "union": {
      // The first member whose shape matched but whose check failed speaks for the union.
      let specific: Failure | undefined
      for (const member of rule.members) {
        const outcome = checkValue(member, value)
        if (outcome === undefined) return undefined
        if (specific === undefined && outcome !== "invalid") specific = outcome
      }
      return specific ?? "invalid"
    }
  }
}

const VALID: ValidationResult = { ok: true }

/**
 * Checks one event as ingest's decodeEvent does: the fields of its event_type (or of a generic
 * event for an unknown type) in schema order, reporting the first failure. Unknown fields are
 * ignored. Size (MAX_EVENT_BYTES) and the timestamp window are separate checks.
 */
export const validateEvent = (event: unknown): ValidationResult => {
  if (!isRecord(event)) return { ok: false, code: "YAVIO-2100", field: "", message: NOT_AN_OBJECT_MESSAGE }
  const type = Object.hasOwn(event, "event_type") ? event.event_type : undefined
  const known = typeof type === "string" && Object.hasOwn(FIELDS_BY_TYPE, type)
  for (const field of (known && FIELDS_BY_TYPE[type]) || GENERIC_FIELDS) {
    if (!Object.hasOwn(event, field.name)) {
      if (!field.required) continue
      return { ok: false, code: "YAVIO-2101", field: field.name, message: `${field.name} ${MISSING_MESSAGE}` }
    }
    const outcome = checkValue(field.rule, event[field.name])
    if (outcome !== undefined) {
      const failure = outcome === "invalid" ? field.failure : outcome
      return { ok: false, code: failure.code, field: field.name, message: `${field.name} ${failure.message}` }
    }
  }
  return VALID
}
