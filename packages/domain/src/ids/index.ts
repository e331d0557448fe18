export * from "./ApiKey.js"
export * from "./EventId.js"
export * from "./SessionId.js"
export * from "./TraceId.js"
