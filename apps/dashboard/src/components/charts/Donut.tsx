import { Pie } from "@visx/shape"
import { formatCount, formatPercent } from "../../lib/views/format"

export interface Slice {
  readonly key: string
  readonly count: number
}

export const PALETTE = [
  "var(--chart-0)",
  "var(--chart-1)",
  "var(--chart-2)",
  "var(--chart-3)",
  "var(--chart-4)",
  "var(--chart-5)",
]

/** §5.7 donut (visx Pie with an inner radius) and a legend with counts and shares as text. */
export function Donut(props: {
  readonly slices: ReadonlyArray<Slice>
  readonly colors?: (key: string, i: number) => string
}) {
  const size = 200
  const total = props.slices.reduce((sum, s) => sum + s.count, 0)
  const color = props.colors ?? ((_: string, i: number) => PALETTE[i % PALETTE.length]!)
  return (
    <div className="donut">
      <svg width={size} height={size} aria-hidden="true">
        <g transform={`translate(${size / 2},${size / 2})`}>
          <Pie<Slice>
            data={[...props.slices]}
            pieValue={(s) => s.count}
            outerRadius={size / 2 - 4}
            innerRadius={size / 2 - 36}
            padAngle={0.01}
            pieSort={null}
          >
            {(pie) =>
              pie.arcs.map((arc, i) => (
                <path key={arc.data.key} d={pie.path(arc) ?? ""} fill={color(arc.data.key, i)} />
              ))
            }
          </Pie>
        </g>
      </svg>
      <ul className="donut-legend">
        {props.slices.map((s, i) => (
          <li key={s.key} data-slice={s.key}>
            <span className="dot" style={{ background: color(s.key, i) }} />
            <span className="mono">{s.key}</span>
            <span className="numeric">{formatCount(s.count)}</span>
            <span className="secondary numeric">{formatPercent(total === 0 ? null : s.count / total)}</span>
          </li>
        ))}
      </ul>
    </div>
  )
}
