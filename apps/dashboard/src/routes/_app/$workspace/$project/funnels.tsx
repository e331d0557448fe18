import { createFileRoute, useRouter } from "@tanstack/react-router"
import { useState } from "react"
import { FilterBar } from "../../../../components/views/FilterBar"
import { PageHeader } from "../../../../components/views/PageHeader"
import {
  EmptyState,
  LoadError,
  TableSkeleton,
  ViewSkeleton,
  viewError,
} from "../../../../components/views/States"
import { TimelineDrawer } from "../../../../components/views/TimelineDrawer"
import { useViewSearch } from "../../../../components/views/useViewSearch"
import { ApiError } from "../../../../lib/ApiError"
import { rpc } from "../../../../lib/rpc"
import { formatCount, formatDuration, formatPercent } from "../../../../lib/views/format"
import {
  filterOf,
  loaderDepsOf,
  settleFilters,
  type ViewSearch,
  validateViewSearch,
} from "../../../../lib/views/search"
import { useRpc } from "../../../../lib/views/useRpc"

/**
 * Funnel View (dashboard.md §3.4): the default funnel "All steps" (or `?steps=a,b,c`), traces
 * reaching each step in order, the drop-off per gap, median time between steps; clicking a gap
 * lists up to 20 traces that stopped there, each opening the trace timeline.
 */
export const Route = createFileRoute("/_app/$workspace/$project/funnels")({
  validateSearch: validateViewSearch,
  loaderDeps: loaderDepsOf,
  loader: async ({ context, deps, cause, abortController }) => {
    await settleFilters({ cause, abortController })
    const filter = filterOf(deps)
    const saved = await rpc((c) => c.savedFunnels({ projectId: context.project.id }))
    const chosen = saved.find((f) => f.id === deps.funnel)
    const steps =
      chosen !== undefined
        ? chosen.steps
        : deps.steps === undefined
          ? await rpc((c) => c.defaultFunnel({ projectId: context.project.id, filter }))
          : deps.steps.split(",").filter((s) => s !== "")
    if (steps.length < 2) return { steps, funnel: [], saved, chosen }
    const funnel = await rpc((c) =>
      c.funnel({
        projectId: context.project.id,
        filter,
        steps,
        ...(deps.tool === undefined ? {} : { tool: deps.tool }),
      }),
    )
    return { steps, funnel, saved, chosen }
  },
  head: () => ({ meta: [{ title: "Funnel View · Yavio" }] }),
  pendingComponent: () => <ViewSkeleton header={FunnelHeader} kpis={0} charts={1} />,
  errorComponent: viewError(FunnelHeader),
  component: FunnelPage,
})

function FunnelHeader() {
  return (
    <PageHeader title="Funnel View">
      <FilterBar />
    </PageHeader>
  )
}

function Examples(props: {
  readonly projectId: string
  readonly steps: ReadonlyArray<string>
  readonly gap: number
  readonly search: ViewSearch
}) {
  const [, set] = useViewSearch()
  const data = useRpc(`${props.steps.join(",")}#${props.gap}`, () =>
    rpc((c) =>
      c.funnelExamples({
        projectId: props.projectId,
        filter: filterOf(props.search),
        steps: props.steps,
        // The service numbers gaps from 1 (between step 1 and step 2).
        gap: props.gap + 1,
        ...(props.search.tool === undefined ? {} : { tool: props.search.tool }),
      }),
    ),
  )
  if (data.state === "loading") return <TableSkeleton rows={3} />
  if (data.state === "failed") return <LoadError error={data.error} retry={data.retry} />
  return (
    <section className="card section" aria-label="Example traces" data-examples>
      <h2 className="card-title">
        Traces that reached {props.steps[props.gap]} but not {props.steps[props.gap + 1]} ({data.value.length}
        )
      </h2>
      {data.value.length === 0 ? (
        <p className="secondary">No trace stopped here.</p>
      ) : (
        <ul className="trace-list">
          {data.value.map((trace) => (
            <li key={trace}>
              <button type="button" className="link-button mono" onClick={() => set({ trace })}>
                {trace}
              </button>
            </li>
          ))}
        </ul>
      )}
    </section>
  )
}

/**
 * Which funnel is shown: "All steps", a saved one, or custom steps; custom steps can be saved
 * under a name (member or above; a viewer sees the refusal's code), a saved one deleted.
 */
function FunnelPicker(props: {
  readonly projectId: string
  readonly steps: ReadonlyArray<string>
  readonly saved: ReadonlyArray<{ readonly id: string; readonly name: string }>
  readonly chosen: { readonly id: string; readonly name: string } | undefined
}) {
  const [search, set] = useViewSearch()
  const router = useRouter()
  const [name, setName] = useState("")
  const [failure, setFailure] = useState<ApiError | null>(null)
  const run = async (call: () => Promise<unknown>) => {
    setFailure(null)
    try {
      await call()
    } catch (error) {
      setFailure(ApiError.from(error))
    }
  }
  return (
    <section className="card section funnel-picker" aria-label="Funnel definition">
      <label className="filter">
        Funnel{" "}
        <select
          value={props.chosen?.id ?? (search.steps === undefined ? "" : "custom")}
          onChange={(e) =>
            set(
              e.target.value === "" || e.target.value === "custom"
                ? { funnel: undefined }
                : { funnel: e.target.value, steps: undefined },
            )
          }
        >
          <option value="">All steps</option>
          {search.steps !== undefined && props.chosen === undefined ? (
            <option value="custom">Custom</option>
          ) : null}
          {props.saved.map((f) => (
            <option key={f.id} value={f.id}>
              {f.name}
            </option>
          ))}
        </select>
      </label>
      <form
        className="inline-form"
        onSubmit={(e) => {
          e.preventDefault()
          const value = new FormData(e.currentTarget).get("steps")
          set({
            steps: typeof value === "string" && value.trim() !== "" ? value.replace(/\s+/g, "") : undefined,
            funnel: undefined,
          })
        }}
      >
        <label className="filter">
          Steps{" "}
          <input name="steps" key={props.steps.join(",")} defaultValue={props.steps.join(",")} size={40} />
        </label>
        <button type="submit" className="button secondary-button small">
          Apply
        </button>
      </form>
      <form
        className="inline-form"
        onSubmit={(e) => {
          e.preventDefault()
          void run(async () => {
            const created = await rpc((c) =>
              c.saveFunnel({ projectId: props.projectId, name, steps: props.steps }),
            )
            setName("")
            set({ funnel: created.id, steps: undefined })
            await router.invalidate()
          })
        }}
      >
        <label className="filter">
          <span className="sr-only">Name</span>
          <input placeholder="Name" value={name} onChange={(e) => setName(e.target.value)} />
        </label>
        <button type="submit" className="button secondary-button small" disabled={name.trim() === ""}>
          Save funnel
        </button>
      </form>
      {props.chosen === undefined ? null : (
        <button
          type="button"
          className="button secondary-button small"
          onClick={() =>
            void run(async () => {
              await rpc((c) => c.deleteFunnel({ projectId: props.projectId, id: props.chosen!.id }))
              set({ funnel: undefined })
              await router.invalidate()
            })
          }
        >
          Delete “{props.chosen.name}”
        </button>
      )}
      {failure === null ? null : (
        <span className="inline-error" role="alert">
          {failure.message} <span className="mono">{failure.code}</span>
        </span>
      )}
    </section>
  )
}

function FunnelPage() {
  const { steps, funnel, saved, chosen } = Route.useLoaderData()
  const { project } = Route.useRouteContext()
  const search = Route.useSearch()
  const [gap, setGap] = useState<number | null>(null)
  const [hover, setHover] = useState<number | null>(null)
  const first = funnel[0]?.traces ?? 0
  return (
    <>
      <FunnelHeader />
      <FunnelPicker projectId={project.id} steps={steps} saved={saved} chosen={chosen} />
      {steps.length < 2 ? (
        <EmptyState title="No funnel steps yet">
          Record the steps of a journey with <code>yavio.step("search_done")</code> on the server or{" "}
          <code>useYavio().step("room_chosen")</code> in the widget, then a <code>conversion</code>; the
          default funnel follows them in order.
        </EmptyState>
      ) : (
        <section className="card section funnel" aria-label={`Funnel ${steps.join(" → ")}`}>
          <h2 className="card-title">
            {chosen?.name ?? (search.steps === undefined ? "All steps" : "Custom funnel")}
          </h2>
          <ol className="funnel-steps">
            {funnel.map((step, i) => (
              <li
                key={step.name}
                data-step={step.name}
                onMouseEnter={() => setHover(i)}
                onMouseLeave={() => setHover(null)}
              >
                <div className="funnel-row">
                  <span className="mono funnel-name">
                    {i + 1}. {step.name}
                  </span>
                  <span className="bar-track">
                    <span
                      className="bar-fill funnel-fill"
                      style={{ width: `${first === 0 ? 0 : (step.traces / first) * 100}%` }}
                    />
                  </span>
                  <span className="numeric" data-step-traces={step.name}>
                    {formatCount(step.traces)}
                  </span>
                  <span className="numeric secondary">{formatPercent(step.ofFirst)}</span>
                </div>
                {i < funnel.length - 1 ? (
                  <button
                    type="button"
                    className={`funnel-gap${gap === i ? " active" : ""}${hover === i ? " hover" : ""}`}
                    onClick={() => setGap(gap === i ? null : i)}
                    data-gap={i}
                    aria-expanded={gap === i}
                  >
                    ↓ drop-off <strong>{formatPercent(step.toNext === null ? null : 1 - step.toNext)}</strong>
                    {" · "}median {formatDuration(step.medianMsToNext)} to next · show traces
                  </button>
                ) : null}
              </li>
            ))}
          </ol>
        </section>
      )}
      {gap === null ? null : <Examples projectId={project.id} steps={steps} gap={gap} search={search} />}
      <TimelineDrawer projectId={project.id} />
    </>
  )
}
