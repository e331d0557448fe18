/**
 * The SDK version on every widget event and batch. Its own constant rather than an import of
 * `server/version.ts`, because the react bundle must not reach server code (sdk.md §1); a test
 * keeps it equal to package.json.
 */
export const SDK_VERSION = "0.1.0"
