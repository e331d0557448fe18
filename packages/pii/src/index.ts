export * from "./PiiScrubber.js"
