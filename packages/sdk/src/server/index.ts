/** The server entry (`@yavio/sdk`, sdk.md §1): `withYavio`, the `yavio` singleton, `createYavio`, `SDK_VERSION`. */

export { createYavio, yavio, yavioOf } from "./tracker.js"
export type {
  CaptureOptions,
  ConversionInput,
  IntentOptions,
  PlatformSignals,
  PlatformStrategy,
  SessionRequest,
  WidgetConfigPayload,
  Yavio,
  YavioContext,
  YavioOptions,
} from "./types.js"
export { SDK_VERSION } from "./version.js"
export { withYavio } from "./withYavio.js"
