import type { ReactNode } from "react"
import { formatCount } from "../../lib/views/format"

/**
 * Horizontal bars as plain DOM (§5.7: top tools, funnel steps): label, a bar proportional to the
 * largest value, the value as text. A row may be a link (`render` wraps the label).
 */
export function BarList(props: {
  readonly items: ReadonlyArray<{ readonly key: string; readonly value: number; readonly note?: string }>
  readonly label?: (key: string) => ReactNode
  readonly format?: (n: number) => string
  readonly max?: number
}) {
  const max = props.max ?? Math.max(1, ...props.items.map((i) => i.value))
  const format = props.format ?? formatCount
  return (
    <ul className="bar-list">
      {props.items.map((item) => (
        <li key={item.key} data-bar={item.key}>
          <span className="bar-label mono">
            {props.label === undefined ? item.key : props.label(item.key)}
          </span>
          <span className="bar-track">
            <span className="bar-fill" style={{ width: `${(item.value / max) * 100}%` }} />
          </span>
          <span className="bar-value numeric">
            {format(item.value)}
            {item.note === undefined ? null : <span className="secondary"> {item.note}</span>}
          </span>
        </li>
      ))}
    </ul>
  )
}
