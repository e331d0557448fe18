import { scaleLinear, scaleTime } from "@visx/scale"
import { AreaClosed, LinePath } from "@visx/shape"
import { useState } from "react"
import { formatAxisDate, formatCount, formatTooltipDate } from "../../lib/views/format"
import { useWidth } from "./useWidth"

export interface Series {
  readonly label: string
  readonly values: ReadonlyArray<number>
  /** Chart palette index (§5.2) or a semantic token. */
  readonly color: string
}

const HEIGHT = 256
const M = { top: 12, right: 28, bottom: 28, left: 48 }
const DASHES = [undefined, "6 4", "2 3", "8 3 2 3"]

/**
 * Time series of §5.7: area (one series, 6 % fill) or lines (several, each with its own dash
 * pattern), or `stacked` areas (success/error). Horizontal dashed gridlines only, 12 px axis
 * labels, abbreviated numbers, a tooltip with the exact value, series and date; no animation.
 */
export function TimeSeriesChart(props: {
  readonly buckets: ReadonlyArray<string>
  readonly series: ReadonlyArray<Series>
  readonly mode: "area" | "lines" | "stacked"
  readonly hourly?: boolean
  readonly format?: (n: number) => string
}) {
  const [ref, width] = useWidth<HTMLDivElement>()
  const [hover, setHover] = useState<number | null>(null)
  const format = props.format ?? formatCount
  const times = props.buckets.map((b) => new Date(b).getTime())
  const innerW = Math.max(10, width - M.left - M.right)
  const innerH = HEIGHT - M.top - M.bottom
  const stackTops = props.buckets.map((_, i) => props.series.reduce((sum, s) => sum + (s.values[i] ?? 0), 0))
  const max =
    props.mode === "stacked"
      ? Math.max(0, ...stackTops)
      : Math.max(0, ...props.series.flatMap((s) => s.values))
  const minT = Math.min(...times)
  const maxT = Math.max(...times)
  const x = scaleTime({
    domain: [new Date(minT), new Date(maxT === minT ? minT + 1 : maxT)],
    range: [0, innerW],
  })
  const y = scaleLinear({ domain: [0, max === 0 ? 1 : max], range: [innerH, 0], nice: true })
  // Whole numbers for counts (no "1, 1, 2, 2" from half steps); fractions are fine for rates.
  const ticks =
    props.format === undefined
      ? y.ticks(Math.max(1, Math.min(4, max))).filter((t) => Number.isInteger(t))
      : y.ticks(4)
  const xTicks = props.buckets.length <= 8 ? times : x.ticks(6).map((d) => d.getTime())
  const xOf = (i: number) => (times.length === 1 ? innerW / 2 : x(new Date(times[i]!)))
  const onMove = (clientX: number, left: number) => {
    if (times.length === 0) return
    const px = clientX - left - M.left
    let best = 0
    for (let i = 1; i < times.length; i++) if (Math.abs(xOf(i) - px) < Math.abs(xOf(best) - px)) best = i
    setHover(best)
  }
  const base = props.buckets.map(() => 0)
  const layers = props.series.map((s) => {
    const lower = [...base]
    const upper = props.buckets.map((_, i) => lower[i]! + (s.values[i] ?? 0))
    if (props.mode === "stacked") for (let i = 0; i < base.length; i++) base[i] = upper[i]!
    return { s, lower: props.mode === "stacked" ? lower : props.buckets.map(() => 0), upper }
  })
  return (
    <div ref={ref} className="chart" style={{ position: "relative" }}>
      <svg
        width={width}
        height={HEIGHT}
        onMouseMove={(e) => onMove(e.clientX, e.currentTarget.getBoundingClientRect().left)}
        onMouseLeave={() => setHover(null)}
        aria-hidden="true"
      >
        <g transform={`translate(${M.left},${M.top})`}>
          {ticks.map((t) => (
            <g key={t}>
              <line x1={0} x2={innerW} y1={y(t)} y2={y(t)} className="gridline" />
              <text x={-8} y={y(t)} dy="0.32em" textAnchor="end" className="axis-label">
                {format(t)}
              </text>
            </g>
          ))}
          {xTicks.map((t) => (
            <text
              key={t}
              x={times.length === 1 ? innerW / 2 : x(new Date(t))}
              y={innerH + 18}
              textAnchor="middle"
              className="axis-label"
            >
              {formatAxisDate(new Date(t).toISOString(), props.hourly === true)}
            </text>
          ))}
          {layers.map(({ s, lower, upper }, k) => {
            const points = props.buckets.map((_, i) => i)
            return (
              <g key={s.label}>
                {props.mode === "lines" ? null : (
                  <AreaClosed<number>
                    data={points}
                    x={xOf}
                    y={(i) => y(upper[i]!)}
                    y0={(i) => y(lower[i]!)}
                    yScale={y}
                    fill={s.color}
                    fillOpacity={props.mode === "stacked" ? 0.25 : 0.06}
                    stroke="none"
                  />
                )}
                <LinePath<number>
                  data={points}
                  x={xOf}
                  y={(i) => y(upper[i]!)}
                  stroke={s.color}
                  strokeWidth={1.5}
                  strokeDasharray={DASHES[k % DASHES.length]}
                />
              </g>
            )
          })}
          {hover === null ? null : (
            <line x1={xOf(hover)} x2={xOf(hover)} y1={0} y2={innerH} className="hover-line" />
          )}
        </g>
      </svg>
      {hover === null ? null : (
        <div className="tooltip" style={{ left: Math.min(width - 180, M.left + xOf(hover) + 8), top: 8 }}>
          <div className="secondary">{formatTooltipDate(props.buckets[hover]!)}</div>
          {props.series.map((s) => (
            <div key={s.label}>
              <span className="dot" style={{ background: s.color }} /> {s.label}:{" "}
              <strong>{format(s.values[hover] ?? 0)}</strong>
            </div>
          ))}
        </div>
      )}
      {props.series.length > 1 ? (
        <div className="legend">
          {props.series.map((s, k) => (
            <span key={s.label}>
              <svg width="18" height="8" aria-hidden="true">
                <line
                  x1="0"
                  x2="18"
                  y1="4"
                  y2="4"
                  stroke={s.color}
                  strokeWidth="2"
                  strokeDasharray={DASHES[k % DASHES.length]}
                />
              </svg>{" "}
              {s.label}
            </span>
          ))}
        </div>
      ) : null}
    </div>
  )
}
