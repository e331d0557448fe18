import { useEffect, useState } from "react"
import { GRANULARITIES, PLATFORMS, RANGES, traitOf, type ViewSearch } from "../../lib/views/search"
import { useViewSearch } from "./useViewSearch"

/**
 * The custom range's fields show and take the viewer's local time (`datetime-local` has no
 * zone); the URL keeps the UTC instant. (Until this, the typed time was read as UTC.)
 */
export const toLocalInput = (iso: string | undefined): string => {
  const ms = iso === undefined ? Number.NaN : Date.parse(iso)
  if (Number.isNaN(ms)) return ""
  const local = new Date(ms - new Date(ms).getTimezoneOffset() * 60_000)
  return local.toISOString().slice(0, 16)
}
export const fromLocalInput = (value: string): string | undefined => {
  // A zone-less "YYYY-MM-DDTHH:mm" is local time to Date.parse.
  const ms = Date.parse(value)
  return Number.isNaN(ms) ? undefined : new Date(ms).toISOString()
}

/**
 * The filters of §3.1 in the page header: range preset (or a custom from/to), platforms
 * (multi-select), source, granularity, and on the Users and Paths views a user trait. Each change
 * lands in the URL at once; the loaders fetch after 300 ms without a further change
 * (`settleFilters`).
 */
export function FilterBar(props: {
  readonly granularity?: boolean
  readonly source?: boolean
  readonly trait?: boolean
}) {
  const [search, set] = useViewSearch()
  const platforms = new Set((search.platform ?? "").split(",").filter((p) => p !== ""))
  const togglePlatform = (platform: string) => {
    const next = new Set(platforms)
    if (next.has(platform)) next.delete(platform)
    else next.add(platform)
    set({ platform: next.size === 0 ? undefined : [...next].sort().join(",") }, true)
  }
  const range = search.range ?? (search.from === undefined ? "7d" : "custom")
  return (
    <fieldset className="filter-bar" aria-label="Filters">
      <label className="filter">
        <span className="sr-only">Time range</span>
        <select
          value={range}
          onChange={(e) => {
            const value = e.target.value as NonNullable<ViewSearch["range"]>
            set(
              value === "custom"
                ? {
                    range: value,
                    from: new Date(Date.now() - RANGES[1].ms).toISOString(),
                    to: new Date().toISOString(),
                  }
                : { range: value, from: undefined, to: undefined },
              true,
            )
          }}
        >
          {RANGES.map((r) => (
            <option key={r.value} value={r.value}>
              {r.label}
            </option>
          ))}
          <option value="custom">Custom range</option>
        </select>
      </label>
      {range === "custom" ? (
        <>
          <label className="filter">
            <span className="sr-only">From</span>
            <input
              type="datetime-local"
              value={toLocalInput(search.from)}
              onChange={(e) => {
                const from = fromLocalInput(e.target.value)
                if (from !== undefined) set({ from }, true)
              }}
            />
          </label>
          <label className="filter">
            <span className="sr-only">To</span>
            <input
              type="datetime-local"
              value={toLocalInput(search.to)}
              onChange={(e) => {
                const to = fromLocalInput(e.target.value)
                if (to !== undefined) set({ to }, true)
              }}
            />
          </label>
        </>
      ) : null}
      <details className="filter dropdown">
        <summary>{platforms.size === 0 ? "All platforms" : [...platforms].join(", ")}</summary>
        <fieldset className="dropdown-menu">
          <legend className="sr-only">Platforms</legend>
          {PLATFORMS.map((platform) => (
            <label key={platform} className="check">
              <input
                type="checkbox"
                checked={platforms.has(platform)}
                onChange={() => togglePlatform(platform)}
              />
              {platform}
            </label>
          ))}
        </fieldset>
      </details>
      {props.source === false ? null : (
        <label className="filter">
          <span className="sr-only">Source</span>
          <select
            value={search.source ?? ""}
            onChange={(e) =>
              set(
                { source: e.target.value === "" ? undefined : (e.target.value as "server" | "widget") },
                true,
              )
            }
          >
            <option value="">Server + widget</option>
            <option value="server">Server</option>
            <option value="widget">Widget</option>
          </select>
        </label>
      )}
      {props.trait === true ? <TraitFilter /> : null}
      {props.granularity === true ? (
        <label className="filter">
          <span className="sr-only">Granularity</span>
          <select
            value={search.granularity ?? ""}
            onChange={(e) =>
              set({
                granularity:
                  e.target.value === "" ? undefined : (e.target.value as (typeof GRANULARITIES)[number]),
              })
            }
          >
            <option value="">Auto</option>
            {GRANULARITIES.map((g) => (
              <option key={g} value={g}>
                {g[0]!.toUpperCase() + g.slice(1)}
              </option>
            ))}
          </select>
        </label>
      ) : null}
    </fieldset>
  )
}

/**
 * The user-trait condition (§3.5, our decision on the form: one `key = value` on the user's
 * latest traits). Typed freely; applied on Enter or when the field loses focus, so half a
 * condition never reaches the URL. Empty removes it.
 */
function TraitFilter() {
  const [search, set] = useViewSearch()
  const [text, setText] = useState(search.trait ?? "")
  useEffect(() => setText(search.trait ?? ""), [search.trait])
  const invalid = text.trim() !== "" && traitOf(text) === undefined
  const commit = () => {
    const value = text.trim()
    if (value === "") {
      if (search.trait !== undefined) set({ trait: undefined }, true)
    } else if (!invalid && value !== search.trait) set({ trait: value }, true)
  }
  return (
    <label className="filter">
      <span className="sr-only">User trait (key = value)</span>
      <input
        type="search"
        name="trait"
        placeholder="Trait: plan = pro"
        value={text}
        aria-invalid={invalid}
        title={invalid ? "Write the condition as key = value" : undefined}
        onChange={(e) => setText(e.target.value)}
        onBlur={commit}
        onKeyDown={(e) => {
          if (e.key === "Enter") commit()
        }}
      />
    </label>
  )
}
