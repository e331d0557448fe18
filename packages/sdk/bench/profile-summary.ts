/**
 * Summarises a V8 `.cpuprofile` (from `node --cpu-prof`): the top frames by self time, and by
 * inclusive time for frames under the SDK's `src/`.
 *
 *   node --import tsx packages/sdk/bench/profile-summary.ts <file.cpuprofile> [--top N]
 */

import { readFileSync } from "node:fs"

interface ProfileNode {
  readonly id: number
  readonly callFrame: {
    readonly functionName: string
    readonly url: string
    readonly lineNumber: number
  }
  readonly children?: ReadonlyArray<number>
}

interface Profile {
  readonly nodes: ReadonlyArray<ProfileNode>
  readonly samples: ReadonlyArray<number>
  readonly timeDeltas: ReadonlyArray<number>
}

const file = process.argv[2]
if (file === undefined) {
  process.stderr.write("usage: profile-summary.ts <file.cpuprofile> [--top N]\n")
  process.exit(2)
}
const topIndex = process.argv.indexOf("--top")
const TOP = topIndex >= 0 ? Number(process.argv[topIndex + 1]) : 25

const profile = JSON.parse(readFileSync(file, "utf8")) as Profile
const byId = new Map(profile.nodes.map((node) => [node.id, node]))
const parent = new Map<number, number>()
for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id)

const label = (node: ProfileNode): string => {
  const { functionName, url, lineNumber } = node.callFrame
  const short = url.replace(/^.*\/node_modules\//, "~/").replace(/^.*\/packages\//, "packages/")
  return `${functionName || "(anonymous)"} ${short}${url === "" ? "" : `:${lineNumber + 1}`}`
}

const self = new Map<string, number>()
const inclusive = new Map<string, number>()
let total = 0
profile.samples.forEach((id, i) => {
  const dt = profile.timeDeltas[i] ?? 0
  total += dt
  const node = byId.get(id)
  if (node === undefined) return
  const key = label(node)
  self.set(key, (self.get(key) ?? 0) + dt)
  const seen = new Set<string>()
  for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
    const frame = byId.get(at)
    if (frame === undefined) break
    const name = label(frame)
    if (seen.has(name)) continue
    seen.add(name)
    inclusive.set(name, (inclusive.get(name) ?? 0) + dt)
  }
})

const print = (title: string, entries: Iterable<[string, number]>): void => {
  process.stdout.write(`\n${title} (total ${(total / 1000).toFixed(0)} ms)\n`)
  const sorted = [...entries].sort((a, b) => b[1] - a[1]).slice(0, TOP)
  for (const [name, us] of sorted) {
    process.stdout.write(`${((100 * us) / total).toFixed(1).padStart(5)}%  ${name}\n`)
  }
}

print("self time", self)
print(
  "inclusive time, SDK frames",
  [...inclusive].filter(([name]) => name.includes("packages/sdk/src/")),
)
