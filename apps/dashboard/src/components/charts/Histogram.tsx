import { scaleBand, scaleLinear } from "@visx/scale"
import { Bar } from "@visx/shape"
import { formatCount } from "../../lib/views/format"
import { useWidth } from "./useWidth"

const HEIGHT = 256
const M = { top: 12, right: 8, bottom: 28, left: 48 }

/** §5.7 latency histogram: one visx Bar per bucket, labels under them, counts on hover (title). */
export function Histogram(props: {
  readonly bins: ReadonlyArray<{ readonly label: string; readonly count: number }>
}) {
  const [ref, width] = useWidth<HTMLDivElement>()
  const innerW = Math.max(10, width - M.left - M.right)
  const innerH = HEIGHT - M.top - M.bottom
  const x = scaleBand({ domain: props.bins.map((b) => b.label), range: [0, innerW], padding: 0.15 })
  const max = Math.max(1, ...props.bins.map((b) => b.count))
  const y = scaleLinear({ domain: [0, max], range: [innerH, 0], nice: true })
  return (
    <div ref={ref} className="chart">
      <svg width={width} height={HEIGHT} aria-hidden="true">
        <g transform={`translate(${M.left},${M.top})`}>
          {y
            .ticks(Math.min(4, max))
            .filter((t) => Number.isInteger(t))
            .map((t) => (
              <g key={t}>
                <line x1={0} x2={innerW} y1={y(t)} y2={y(t)} className="gridline" />
                <text x={-8} y={y(t)} dy="0.32em" textAnchor="end" className="axis-label">
                  {formatCount(t)}
                </text>
              </g>
            ))}
          {props.bins.map((b) => (
            <g key={b.label}>
              <Bar
                x={x(b.label) ?? 0}
                y={y(b.count)}
                width={x.bandwidth()}
                height={innerH - y(b.count)}
                className="bar"
              >
                <title>{`${b.label}: ${formatCount(b.count)}`}</title>
              </Bar>
              <text
                x={(x(b.label) ?? 0) + x.bandwidth() / 2}
                y={innerH + 18}
                textAnchor="middle"
                className="axis-label"
              >
                {b.label}
              </text>
            </g>
          ))}
        </g>
      </svg>
    </div>
  )
}
