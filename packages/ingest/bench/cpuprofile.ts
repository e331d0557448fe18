/**
 * Summarises a V8 `.cpuprofile` (from `node --cpu-prof`) as JSON figures: main-thread busy
 * share, self time by category and by frame, inclusive time of our own functions. Frames in
 * our TypeScript are mapped back to source lines (tsx serves it minified, one line per file).
 *
 * Used by `ingest.ts --profile`; also runs alone:
 * `node --import tsx packages/ingest/bench/cpuprofile.ts <file.cpuprofile>`.
 */
import { readFileSync } from "node:fs"
import { findSourceMap, type SourceMap } from "node:module"
import { dirname, resolve } from "node:path"
import { fileURLToPath, pathToFileURL } from "node:url"

const root = resolve(dirname(fileURLToPath(import.meta.url)), "../../..")

interface ProfileNode {
  readonly id: number
  readonly callFrame: {
    readonly functionName: string
    readonly url: string
    readonly lineNumber: number
    readonly columnNumber: number
  }
  readonly children?: ReadonlyArray<number>
}
interface CpuProfile {
  readonly nodes: ReadonlyArray<ProfileNode>
  readonly startTime: number
  readonly samples: ReadonlyArray<number>
  readonly timeDeltas: ReadonlyArray<number>
}

/**
 * tsx serves our TypeScript minified (one line per file, anonymous functions), so frames in
 * our packages are mapped back through the source maps that tsx registers: the modules are
 * imported here (side-effect free: definitions only) and looked up with `findSourceMap`.
 */
const sourceMapper = async (urls: Iterable<string>) => {
  process.setSourceMapsEnabled(true)
  const maps = new Map<string, SourceMap>()
  for (const url of urls) {
    if (!url.startsWith(`file://${root}/packages/`) || !url.includes("/src/") || !url.endsWith(".ts"))
      continue
    try {
      await import(url)
      const map = findSourceMap(url)
      if (map !== undefined) maps.set(url, map)
    } catch {
      // Unmapped: reported by its minified position.
    }
  }
  const sources = new Map<string, ReadonlyArray<string>>()
  return (frame: ProfileNode["callFrame"]): { file: string; line: number; text: string } | undefined => {
    const entry = maps.get(frame.url)?.findEntry(frame.lineNumber, frame.columnNumber)
    if (entry === undefined || !("originalSource" in entry)) return undefined
    const path = fileURLToPath(entry.originalSource)
    let lines = sources.get(path)
    if (lines === undefined) {
      lines = readFileSync(path, "utf8").split("\n")
      sources.set(path, lines)
    }
    const text = (lines[entry.originalLine] ?? "").trim().slice(0, 70)
    return { file: path.replace(`${root}/`, ""), line: entry.originalLine + 1, text }
  }
}

/**
 * Emits the figures of one profile. `window` (µs on the profile's monotonic clock) keeps only
 * the samples taken inside it.
 */
export const summariseProfile = async (
  file: string,
  window: { readonly start: number; readonly end: number } | undefined,
  emit: (figure: Record<string, unknown>) => void,
): Promise<void> => {
  const cpu = JSON.parse(readFileSync(file, "utf8")) as CpuProfile
  const nodes = new Map<number, ProfileNode>()
  const parent = new Map<number, number>()
  for (const node of cpu.nodes) {
    nodes.set(node.id, node)
    for (const child of node.children ?? []) parent.set(child, node.id)
  }
  const mapped = await sourceMapper(new Set(cpu.nodes.map((n) => n.callFrame.url)))
  const keys = new Map<number, string>()
  const keyOf = (node: ProfileNode): string => {
    let key = keys.get(node.id)
    if (key !== undefined) return key
    const { functionName, url, lineNumber } = node.callFrame
    const original = mapped(node.callFrame)
    const where =
      original !== undefined
        ? `${original.file}:${original.line} \`${original.text}\``
        : url === ""
          ? "(native)"
          : `${url
              .replace(/^file:\/\//, "")
              .replace(`${root}/`, "")
              .replace(/^.*node_modules\//, "")}:${lineNumber + 1}`
    key = `${functionName || "(anonymous)"} ${where}`
    keys.set(node.id, key)
    return key
  }
  const category = (node: ProfileNode): string => {
    const { url, functionName } = node.callFrame
    if (url === "") return functionName.startsWith("(") ? functionName : "native / builtins"
    if (url.includes("node_modules/effect/")) return "effect"
    if (url.includes("node_modules/@effect/")) return "@effect/platform, sql"
    if (url.includes("node_modules/@clickhouse/") || url.includes("node_modules/chdb"))
      return "clickhouse client, chdb"
    if (url.includes("packages/pii/src/PiiScrubber")) return "ingest: PiiScrubber"
    if (url.includes("packages/ingest/src/EventRow")) return "ingest: EventRow"
    if (url.includes("packages/ingest/src/")) return "ingest: other"
    if (url.includes("packages/domain/")) return "domain (decode)"
    if (url.startsWith("node:")) return "node internals (http, streams)"
    return "other"
  }
  // Sample i was taken at startTime + timeDeltas[0..i]; keep those inside the window.
  const hits = new Map<number, number>()
  let t = cpu.startTime
  for (let i = 0; i < cpu.samples.length; i++) {
    t += cpu.timeDeltas[i] ?? 0
    if (window !== undefined && (t < window.start || t > window.end)) continue
    const id = cpu.samples[i]!
    hits.set(id, (hits.get(id) ?? 0) + 1)
  }
  let total = 0
  let idle = 0
  const self = new Map<string, number>()
  const categories = new Map<string, number>()
  const inclusive = new Map<string, number>()
  for (const [id, count] of hits) {
    const node = nodes.get(id)!
    total += count
    if (node.callFrame.functionName === "(idle)") {
      idle += count
      continue
    }
    const key = keyOf(node)
    self.set(key, (self.get(key) ?? 0) + count)
    categories.set(category(node), (categories.get(category(node)) ?? 0) + count)
    const seen = new Set<string>()
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
      const k = keyOf(nodes.get(at)!)
      if (seen.has(k)) continue
      seen.add(k)
      inclusive.set(k, (inclusive.get(k) ?? 0) + count)
    }
  }
  const busy = total - idle
  const share = (count: number) => Number(((100 * count) / busy).toFixed(1))
  emit({
    figure: "profile_main_thread",
    window_s: window === undefined ? null : Number(((window.end - window.start) / 1e6).toFixed(1)),
    busy_pct_of_wall: Number(((100 * busy) / Math.max(1, total)).toFixed(1)),
    samples: total,
  })
  for (const [name, count] of [...categories].sort((a, b) => b[1] - a[1])) {
    emit({ figure: "profile_category_self", category: name, share_of_busy_pct: share(count) })
  }
  const top = [...self].sort((a, b) => b[1] - a[1])
  for (const [i, [frame, count]] of top.slice(0, 30).entries()) {
    emit({ figure: "profile_self", rank: i + 1, frame, share_of_busy_pct: share(count) })
  }
  const ours = [...inclusive]
    .filter(([k]) => / packages\/(ingest|domain)\/src\//.test(k))
    .sort((a, b) => b[1] - a[1])
  for (const [frame, count] of ours.slice(0, 25)) {
    emit({ figure: "profile_inclusive", frame, share_of_busy_pct: share(count) })
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const file = process.argv[2]
  if (file === undefined) throw new Error("usage: cpuprofile.ts <file.cpuprofile>")
  await summariseProfile(file, undefined, (figure) => process.stdout.write(`${JSON.stringify(figure)}\n`))
}
