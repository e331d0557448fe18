import { formatAxisDate, formatCount, formatPercent, heatOpacity } from "../../lib/views/format"

export interface Cohort {
  readonly period: string
  readonly users: number
  readonly retention: ReadonlyArray<number>
}

/**
 * §5.7 retention heatmap as a CSS grid: a row per cohort (its first period and size), a cell per
 * later period with the return rate as text; the fill is the foreground colour at the opacity
 * step of the rate (0 → muted); text turns to the page colour from 60 % opacity on.
 */
export function RetentionHeatmap(props: {
  readonly cohorts: ReadonlyArray<Cohort>
  readonly period: string
}) {
  const columns = Math.max(1, ...props.cohorts.map((c) => c.retention.length))
  const periods = Array.from({ length: columns }, (_, k) => k)
  return (
    <table className="heatmap" aria-label={`Retention by ${props.period} cohort`}>
      <thead>
        <tr>
          <th scope="col">Cohort</th>
          <th scope="col" className="numeric">
            Users
          </th>
          {periods.map((k) => (
            <th key={k} scope="col" className="numeric">
              {props.period[0]!.toUpperCase()}
              {k}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {props.cohorts.map((cohort) => (
          <tr key={cohort.period} data-cohort={cohort.period}>
            <th scope="row">{formatAxisDate(cohort.period)}</th>
            <td className="numeric">{formatCount(cohort.users)}</td>
            {periods.map((k) => {
              const rate = cohort.retention[k]
              if (rate === undefined) return <td key={k} />
              const opacity = heatOpacity(rate)
              return (
                <td
                  key={k}
                  className={`heat-cell${opacity >= 0.6 ? " inverse" : ""}${opacity === 0 ? " zero" : ""}`}
                  style={{ "--heat": opacity } as React.CSSProperties}
                  data-cell={`${cohort.period}:${k}`}
                >
                  {formatPercent(rate)}
                </td>
              )
            })}
          </tr>
        ))}
      </tbody>
    </table>
  )
}
