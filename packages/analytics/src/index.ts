export * from "./AnalyticsFilter.js"
export * from "./AnalyticsQuery.js"
export * from "./Overview.js"
export * from "./ProjectScope.js"
