import { formatTrend, trendTone } from "../../lib/views/format"

/**
 * §5.5 KPI card: title, big value, trend vs the previous window with ▲/▼ (colour by meaning:
 * `lowerIsBetter` metrics are red when they rise). `id` becomes `data-kpi` for tests and tools.
 */
export function KpiCard(props: {
  readonly id: string
  readonly label: string
  readonly value: string
  readonly change?: number | null
  readonly lowerIsBetter?: boolean
  readonly title?: string
}) {
  const trend = props.change === undefined ? null : formatTrend(props.change)
  const tone = trendTone(props.change, props.lowerIsBetter ?? false)
  return (
    <div className="card kpi-card" title={props.title}>
      <div className="kpi-title">{props.label}</div>
      <div className="kpi-value" data-kpi={props.id}>
        {props.value}
      </div>
      {props.change === undefined ? null : (
        <div className={`kpi-trend trend-${tone}`} data-trend={props.id}>
          {trend === null ? "no previous data" : `${trend} vs prev period`}
        </div>
      )}
    </div>
  )
}

/** §5.8 skeleton of a KPI card: value 96×32, trend 64×16. */
export function KpiSkeleton() {
  return (
    <div className="card kpi-card">
      <div className="skeleton" style={{ width: 120, height: 16 }} />
      <div className="skeleton" style={{ width: 96, height: 32, marginTop: 4 }} />
      <div className="skeleton" style={{ width: 64, height: 16, marginTop: 4 }} />
    </div>
  )
}
