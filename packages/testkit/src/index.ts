export * from "./PgServer.js"
export * from "./TempDir.js"
