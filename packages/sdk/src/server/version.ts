/** The SDK's version, sent as `sdk_version` on every event and batch. Kept in step with package.json. */
export const SDK_VERSION = "0.1.0"
