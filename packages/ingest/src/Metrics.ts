import { monitorEventLoopDelay } from "node:perf_hooks"
import { Context, Effect, Layer } from "effect"

/**
 * A small Prometheus registry for `GET /metrics` (cli-and-ops.md §4.2). Plain mutable
 * numbers, not Effect `Metric`s: the hot path updates them per request and per event, where
 * building an Effect per increment would cost more than the increment.
 */
type Labels = Readonly<Record<string, string>>

const labelText = (labels: Labels): string => {
  const entries = Object.entries(labels)
  if (entries.length === 0) return ""
  return `{${entries.map(([k, v]) => `${k}="${v.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\n/g, "\\n")}"`).join(",")}}`
}

export class Counter {
  private readonly values = new Map<string, { labels: Labels; value: number }>()
  constructor(
    readonly name: string,
    readonly help: string,
  ) {}
  inc(labels: Labels = {}, by = 1): void {
    const key = labelText(labels)
    const entry = this.values.get(key)
    if (entry === undefined) this.values.set(key, { labels, value: by })
    else entry.value += by
  }
  get(labels: Labels = {}): number {
    return this.values.get(labelText(labels))?.value ?? 0
  }
  render(): string {
    const lines = [`# HELP ${this.name} ${this.help}`, `# TYPE ${this.name} counter`]
    for (const { labels, value } of this.values.values())
      lines.push(`${this.name}${labelText(labels)} ${value}`)
    return lines.join("\n")
  }
}

export class Gauge {
  constructor(
    readonly name: string,
    readonly help: string,
    private readonly read: () => number,
  ) {}
  render(): string {
    return [
      `# HELP ${this.name} ${this.help}`,
      `# TYPE ${this.name} gauge`,
      `${this.name} ${this.read()}`,
    ].join("\n")
  }
}

export const DEFAULT_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10]

export class Histogram {
  private readonly series = new Map<
    string,
    { labels: Labels; counts: number[]; sum: number; count: number }
  >()
  constructor(
    readonly name: string,
    readonly help: string,
    private readonly buckets: ReadonlyArray<number> = DEFAULT_BUCKETS,
  ) {}
  observe(value: number, labels: Labels = {}): void {
    const key = labelText(labels)
    let s = this.series.get(key)
    if (s === undefined) {
      s = { labels, counts: this.buckets.map(() => 0), sum: 0, count: 0 }
      this.series.set(key, s)
    }
    for (let i = 0; i < this.buckets.length; i++) if (value <= this.buckets[i]!) s.counts[i]!++
    s.sum += value
    s.count++
  }
  render(): string {
    const lines = [`# HELP ${this.name} ${this.help}`, `# TYPE ${this.name} histogram`]
    for (const s of this.series.values()) {
      this.buckets.forEach((le, i) => {
        lines.push(`${this.name}_bucket${labelText({ ...s.labels, le: String(le) })} ${s.counts[i]}`)
      })
      lines.push(`${this.name}_bucket${labelText({ ...s.labels, le: "+Inf" })} ${s.count}`)
      lines.push(`${this.name}_sum${labelText(s.labels)} ${s.sum}`)
      lines.push(`${this.name}_count${labelText(s.labels)} ${s.count}`)
    }
    return lines.join("\n")
  }
}

const makeRegistry = () => {
  const loopDelay = monitorEventLoopDelay({ resolution: 20 })
  loopDelay.enable()
  const metrics = {
    eventsReceived: new Counter("yavio_ingest_events_received_total", "Events received over HTTP"),
    eventsWritten: new Counter("yavio_ingest_events_written_total", "Events written to ClickHouse"),
    eventsRejected: new Counter(
      "yavio_ingest_events_rejected_total",
      "Rejected events and requests, by YAVIO code (reason)",
    ),
    notices: new Counter(
      "yavio_ingest_notices_total",
      "Field truncations (YAVIO-2200..2205) and PII redactions (YAVIO-2251), by code and kind",
    ),
    batchWriteDuration: new Histogram(
      "yavio_ingest_batch_write_duration_seconds",
      "ClickHouse batch insert latency",
      [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1],
    ),
    batchSize: new Histogram(
      "yavio_ingest_batch_size",
      "Events per ClickHouse insert",
      [1, 10, 100, 500, 1000, 2500, 5000, 10000],
    ),
    piiStripDuration: new Histogram("yavio_ingest_pii_strip_duration_seconds", "PII stripping per batch"),
    keyCacheHits: new Counter("yavio_ingest_api_key_cache_hits_total", "API key cache hits"),
    keyCacheMisses: new Counter(
      "yavio_ingest_api_key_cache_misses_total",
      "API key cache misses (PostgreSQL lookups)",
    ),
    httpDuration: new Histogram("yavio_ingest_http_request_duration_seconds", "HTTP latency"),
  }
  let backpressure = () => 0
  const processGauges = [
    new Gauge("process_cpu_seconds_total", "User and system CPU time", () => {
      const usage = process.cpuUsage()
      return (usage.user + usage.system) / 1e6
    }),
    new Gauge("nodejs_heap_size_total_bytes", "V8 heap size", () => process.memoryUsage().heapTotal),
    new Gauge("process_resident_memory_bytes", "Resident set size", () => process.memoryUsage.rss()),
    new Gauge(
      "nodejs_active_handles_total",
      "Active libuv handles",
      () => (process as unknown as { _getActiveHandles?: () => unknown[] })._getActiveHandles?.().length ?? 0,
    ),
    new Gauge("nodejs_eventloop_lag_seconds", "Event loop delay (mean)", () => loopDelay.mean / 1e9),
    new Gauge("yavio_ingest_backpressure_active", "1 while the write queue refuses new events", () =>
      backpressure(),
    ),
  ]
  return {
    ...metrics,
    /** The writer reports whether it is refusing writes. */
    setBackpressureProbe: (probe: () => number) => {
      backpressure = probe
    },
    render: () =>
      `${[...Object.values(metrics).map((m) => m.render()), ...processGauges.map((g) => g.render())].join("\n")}\n`,
    close: () => loopDelay.disable(),
  }
}

export type MetricsRegistry = ReturnType<typeof makeRegistry>

export class Metrics extends Context.Tag("@yavio/ingest/Metrics")<Metrics, MetricsRegistry>() {
  static readonly layer = Layer.scoped(
    this,
    Effect.acquireRelease(Effect.sync(makeRegistry), (registry) => Effect.sync(registry.close)),
  )
}
