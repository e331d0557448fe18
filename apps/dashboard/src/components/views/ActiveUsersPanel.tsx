import type { UsersView } from "@yavio/domain/rpc/AnalyticsModels"
import { formatAxisDate } from "../../lib/views/format"
import { fillBuckets } from "../../lib/views/search"
import { ChartPanel } from "../charts/ChartPanel"
import { TimeSeriesChart } from "../charts/TimeSeriesChart"
import { useViewSearch } from "./useViewSearch"

/** DAU / trailing 7-day WAU / trailing 30-day MAU per day (§3.5), on Overview and Users. */
export function ActiveUsersPanel({ users }: { readonly users: typeof UsersView.Type }) {
  const [search] = useViewSearch()
  const active = fillBuckets(
    users.active.map((d) => ({ ...d, bucket: d.day })),
    { ...search, granularity: "day" },
    (bucket) => ({ bucket, day: bucket, dau: 0, wau: 0, mau: 0 }),
  )
  return (
    <ChartPanel
      id="activeUsers"
      wide
      title="DAU / WAU / MAU"
      summary={`Lines of daily, trailing 7-day and trailing 30-day active users; ${users.kpis.activeUsers} active users in range`}
      table={{
        head: ["Day", "DAU", "WAU", "MAU"],
        rows: active.map((d) => [formatAxisDate(d.day), d.dau, d.wau, d.mau]),
      }}
    >
      {active.length === 0 ? (
        <p className="secondary plot-empty">No identified users in this range.</p>
      ) : (
        <TimeSeriesChart
          mode="lines"
          buckets={active.map((d) => d.day)}
          series={[
            { label: "DAU", values: active.map((d) => d.dau), color: "var(--chart-0)" },
            { label: "WAU", values: active.map((d) => d.wau), color: "var(--chart-1)" },
            { label: "MAU", values: active.map((d) => d.mau), color: "var(--chart-2)" },
          ]}
        />
      )}
    </ChartPanel>
  )
}
