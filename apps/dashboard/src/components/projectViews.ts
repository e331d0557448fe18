/** dashboard.md §5.4: the project's views in the sidebar, in this order. */
export const projectViews = [{ to: "/$workspace/$project/overview", label: "Overview" }] as const
