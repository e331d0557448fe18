/** dashboard.md §5.4: the project's views in the sidebar, in this order. */
export const projectViews = [
  { to: "/$workspace/$project/overview", label: "Overview" },
  { to: "/$workspace/$project/tools", label: "Tool Explorer" },
  { to: "/$workspace/$project/funnels", label: "Funnel View" },
  { to: "/$workspace/$project/users", label: "Users" },
  { to: "/$workspace/$project/paths", label: "Paths" },
  { to: "/$workspace/$project/live", label: "Live Feed" },
  { to: "/$workspace/$project/errors", label: "Errors" },
  // Not one of the seven views of §3: the SDK's intent capture (our decision), after them.
  { to: "/$workspace/$project/intents", label: "Intents" },
] as const
