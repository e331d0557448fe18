import type { ReactNode } from "react"

/**
 * §5.5 chart panel: title, the plot, and (§5.10) the same data as a table behind a toggle, so a
 * chart's numbers are reachable without seeing it. `summary` is the chart's aria-label.
 */
export function ChartPanel(props: {
  readonly title: string
  readonly summary: string
  readonly wide?: boolean
  readonly children: ReactNode
  readonly table?: {
    readonly head: ReadonlyArray<string>
    readonly rows: ReadonlyArray<ReadonlyArray<string | number>>
  }
  readonly actions?: ReactNode
  readonly id?: string
  /**
   * The plot holds links or buttons (bars that open a tool): then it is a labelled group, since
   * an `img` must not contain focusable elements (axe `nested-interactive`, §5.10).
   */
  readonly interactive?: boolean
}) {
  return (
    <section
      className={`card chart-panel${props.wide === true ? " span-all" : " span-2"}`}
      data-chart={props.id}
    >
      <div className="panel-title">
        <h2 className="card-title">{props.title}</h2>
        {props.actions ?? null}
      </div>
      <figure role={props.interactive === true ? "group" : "img"} aria-label={props.summary} className="plot">
        {props.children}
      </figure>
      {props.table === undefined ? null : (
        <details className="data-toggle">
          <summary>Show data as table</summary>
          <table className="data-table compact">
            <thead>
              <tr>
                {props.table.head.map((h) => (
                  <th key={h} scope="col">
                    {h}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {props.table.rows.map((row, i) => (
                // biome-ignore lint/suspicious/noArrayIndexKey: rows of a fixed snapshot, never reordered
                <tr key={i}>
                  {row.map((cell, j) => (
                    // biome-ignore lint/suspicious/noArrayIndexKey: cells are positional (columns)
                    <td key={j} className={typeof cell === "number" ? "numeric" : undefined}>
                      {cell}
                    </td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </details>
      )}
    </section>
  )
}
