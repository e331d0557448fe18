/**
 * `@yavio/sdk/react`: the widget side of Yavio (sdk.md §7). Browser only, React 18+ as the only
 * dependency; no Effect, no Node built-ins, no server code (the build test checks the bundle).
 */

export { extractWidgetConfig } from "./config.js"
export type { ConversionOptions, WidgetConfig, YavioWidget } from "./types.js"
export { useYavio } from "./useYavio.js"
