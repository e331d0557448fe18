import type { KeyboardEvent, ReactNode } from "react"
import { formatCount } from "../../lib/views/format"
import { useViewSearch } from "./useViewSearch"

export interface Column<Row> {
  readonly label: string
  readonly render: (row: Row) => ReactNode
  /** Right-aligned (§5.5: numbers right, text left). */
  readonly numeric?: boolean
  /** The service's sort field; absent = not sortable. */
  readonly sort?: string
}

/**
 * §5.5 table: uppercase secondary header, sortable headers with ▲/▼ (sort and order in the URL),
 * clickable rows (Enter/Space too), pagination bottom right. `paged` tables read `page`,
 * `pageSize`, `sort`, `order` from the URL; `defaultSort` is the service's default.
 */
export function DataTable<Row>(props: {
  readonly label: string
  readonly columns: ReadonlyArray<Column<Row>>
  readonly rows: ReadonlyArray<Row>
  readonly rowKey: (row: Row) => string
  readonly onRowClick?: (row: Row) => void
  readonly paged?: {
    readonly total: number
    readonly page: number
    readonly pageSize: number
    readonly defaultSort: string
  }
  readonly testId?: string
}) {
  const [search, set] = useViewSearch()
  const sort = search.sort ?? props.paged?.defaultSort
  const order = search.order ?? "desc"
  const activate = (row: Row) => (e: KeyboardEvent) => {
    if (e.key === "Enter" || e.key === " ") {
      e.preventDefault()
      props.onRowClick?.(row)
    }
  }
  const pages =
    props.paged === undefined ? 1 : Math.max(1, Math.ceil(props.paged.total / props.paged.pageSize))
  return (
    <div className="table-wrap">
      <table className="data-table" aria-label={props.label} data-table={props.testId}>
        <thead>
          <tr>
            {props.columns.map((column) => {
              const active = column.sort !== undefined && column.sort === sort
              return (
                <th
                  key={column.label}
                  scope="col"
                  className={column.numeric === true ? "numeric" : undefined}
                  aria-sort={active ? (order === "asc" ? "ascending" : "descending") : undefined}
                >
                  {column.sort === undefined || props.paged === undefined ? (
                    column.label
                  ) : (
                    <button
                      type="button"
                      className="sort-button"
                      onClick={() =>
                        set({ sort: column.sort, order: active && order === "desc" ? "asc" : "desc" }, true)
                      }
                    >
                      {column.label}
                      {active ? (order === "asc" ? " ▲" : " ▼") : ""}
                    </button>
                  )}
                </th>
              )
            })}
          </tr>
        </thead>
        <tbody>
          {props.rows.map((row) => (
            <tr
              key={props.rowKey(row)}
              className={props.onRowClick === undefined ? undefined : "clickable"}
              tabIndex={props.onRowClick === undefined ? undefined : 0}
              onClick={props.onRowClick === undefined ? undefined : () => props.onRowClick?.(row)}
              onKeyDown={props.onRowClick === undefined ? undefined : activate(row)}
            >
              {props.columns.map((column) => (
                <td key={column.label} className={column.numeric === true ? "numeric" : undefined}>
                  {column.render(row)}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
      {props.paged === undefined ? null : (
        <nav className="pagination" aria-label={`${props.label} pages`}>
          <span className="secondary">
            Page {props.paged.page} of {pages} · {formatCount(props.paged.total)} total
          </span>
          <button
            type="button"
            className="button secondary-button small"
            disabled={props.paged.page <= 1}
            onClick={() => set({ page: props.paged!.page - 1 })}
          >
            Previous
          </button>
          <button
            type="button"
            className="button secondary-button small"
            disabled={props.paged.page >= pages}
            onClick={() => set({ page: props.paged!.page + 1 })}
          >
            Next
          </button>
        </nav>
      )}
    </div>
  )
}
