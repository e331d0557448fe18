export {
  KNOWN_EVENT_TYPES,
  type KnownEventType,
  MAX_EVENT_BYTES,
  type ValidationResult,
  validateEvent,
} from "./validators.generated.js"
