export * from "./api/index.js"
export * from "./errors/index.js"
export * from "./events/index.js"
export * from "./ids/index.js"
