import { sankey, sankeyLeft, sankeyLinkHorizontal } from "@visx/sankey"
import { useState } from "react"
import { formatCount } from "../../lib/views/format"
import { useWidth } from "./useWidth"

export interface PathLink {
  readonly depth: number
  readonly from: string
  readonly to: string
  readonly sessions: number
}

interface NodeExtra {
  readonly id: string
  readonly name: string
  readonly depth0: number
}
interface LinkExtra {
  readonly sessions: number
}

const HEIGHT = 420

/**
 * §3.6 / §5.7 Sankey (d3-sankey layout through @visx/sankey): node = (depth, name), link width =
 * sessions; grey links, dark nodes; links into `drop-off` are highlighted; hovering a node
 * highlights its links; clicking one calls `onNode` (the view filters to paths through it).
 */
export function PathsSankey(props: {
  readonly links: ReadonlyArray<PathLink>
  readonly onNode?: (name: string) => void
}) {
  const [ref, width] = useWidth<HTMLDivElement>(800)
  const [hover, setHover] = useState<string | null>(null)
  const ids = new Map<string, NodeExtra>()
  const node = (depth: number, name: string) => {
    const id = `${depth}:${name}`
    if (!ids.has(id)) ids.set(id, { id, name, depth0: depth })
    return id
  }
  const links = props.links.map((l) => ({
    source: node(l.depth, l.from),
    target: node(l.depth + 1, l.to),
    value: l.sessions,
    sessions: l.sessions,
  }))
  const layout = sankey<NodeExtra, LinkExtra>()
    .nodeId((n) => n.id)
    .nodeAlign(sankeyLeft)
    .nodeWidth(10)
    .nodePadding(14)
    .extent([
      [1, 8],
      [Math.max(200, width - 140), HEIGHT - 8],
    ])
  const graph = layout({
    nodes: [...ids.values()].map((n) => ({ ...n })),
    links: links.map((l) => ({ ...l })),
  })
  const path = sankeyLinkHorizontal()
  return (
    <div ref={ref} className="chart sankey">
      <svg width={width} height={HEIGHT} aria-hidden="true">
        <g>
          {graph.links.map((link) => {
            const source = link.source as NodeExtra & { x1?: number }
            const target = link.target as NodeExtra
            const lit = hover !== null && (source.id === hover || target.id === hover)
            const drop = target.name === "drop-off"
            return (
              <path
                key={`${source.id}>${target.id}`}
                d={path(link) ?? ""}
                className={`sankey-link${lit ? " lit" : ""}${drop ? " drop" : ""}`}
                strokeWidth={Math.max(1, link.width ?? 1)}
                fill="none"
              >
                <title>{`${source.name} → ${target.name}: ${formatCount(link.value)} sessions`}</title>
              </path>
            )
          })}
          {graph.nodes.map((n) => (
            // biome-ignore lint/a11y/noStaticElementInteractions: by keyboard, the header's Start field sets the same filter (these nodes are its suggestions)
            <g
              key={n.id}
              onMouseEnter={() => setHover(n.id)}
              onMouseLeave={() => setHover(null)}
              onClick={() => props.onNode?.(n.name)}
              className="sankey-node"
              data-node={n.id}
            >
              <rect
                x={n.x0}
                y={n.y0}
                width={(n.x1 ?? 0) - (n.x0 ?? 0)}
                height={Math.max(1, (n.y1 ?? 0) - (n.y0 ?? 0))}
              />
              <text
                x={(n.x1 ?? 0) + 6}
                y={((n.y0 ?? 0) + (n.y1 ?? 0)) / 2}
                dy="0.32em"
                className="sankey-label"
              >
                {n.name} ({formatCount(n.value ?? 0)})
              </text>
            </g>
          ))}
        </g>
      </svg>
    </div>
  )
}
