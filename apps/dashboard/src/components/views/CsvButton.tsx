import { useState } from "react"
import { ApiError } from "../../lib/ApiError"
import { rpc } from "../../lib/rpc"
import { filterOf, pagingOf } from "../../lib/views/search"
import { useViewSearch } from "./useViewSearch"

/**
 * Exports the table on screen through the `exportCsv` RPC (same filters, sort and page size) and
 * downloads it. A refusal (viewers: `YAVIO-3103`) is shown beside the button with its code.
 */
export function CsvButton(props: {
  readonly projectId: string
  readonly table: "tools" | "errors" | "users"
}) {
  const [search] = useViewSearch()
  const [failure, setFailure] = useState<ApiError | null>(null)
  const [busy, setBusy] = useState(false)
  const run = async () => {
    setBusy(true)
    setFailure(null)
    try {
      const file = await rpc((c) =>
        c.exportCsv({
          projectId: props.projectId,
          filter: filterOf(search),
          table: props.table,
          paging: { ...pagingOf(search), pageSize: 100 },
          ...(props.table === "errors" && search.errorCategory !== undefined
            ? { errorCategory: search.errorCategory }
            : {}),
        }),
      )
      const url = URL.createObjectURL(new Blob([file.csv], { type: file.contentType }))
      const a = document.createElement("a")
      a.href = url
      a.download = file.filename
      a.click()
      URL.revokeObjectURL(url)
    } catch (error) {
      setFailure(ApiError.from(error))
    } finally {
      setBusy(false)
    }
  }
  return (
    <span className="csv-export">
      <button type="button" className="button secondary-button small" onClick={run} disabled={busy}>
        Export CSV
      </button>
      {failure === null ? null : (
        <span className="inline-error" role="alert">
          {failure.message} <span className="mono">{failure.code}</span>
        </span>
      )}
    </span>
  )
}
