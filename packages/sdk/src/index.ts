export {
  type CaptureOptions,
  type ConversionInput,
  createYavio,
  type IntentOptions,
  type PlatformSignals,
  type PlatformStrategy,
  SDK_VERSION,
  type SessionRequest,
  type WidgetConfigPayload,
  withYavio,
  type Yavio,
  type YavioContext,
  type YavioOptions,
  yavio,
  yavioOf,
} from "./server/index.js"
export {
  KNOWN_EVENT_TYPES,
  type KnownEventType,
  MAX_EVENT_BYTES,
  type ValidationResult,
  validateEvent,
} from "./validators.generated.js"
