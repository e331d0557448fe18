/**
 * The widget auto-captures (sdk.md §7.5, events.md "Widget, captured automatically"), attached
 * once per page when the first configuration arrives and removed by the returned function. Each
 * capture sits behind feature detection and never throws into the page. Element identity: the
 * nearest `data-yavio` attribute, else the lower-case tag. Input values are never read beyond
 * "empty or not".
 */

import { scrub } from "./pii.js"
import { emit, flush, sampleScroll } from "./widget.js"

type Field = HTMLInputElement | HTMLTextAreaElement | HTMLSelectElement

/** Render and performance are once per page, even across unmount and remount. */
let rendered = false

const nameOf = (el: Element): string =>
  el.closest("[data-yavio]")?.getAttribute("data-yavio") ?? el.tagName.toLowerCase()

const fieldOf = (target: EventTarget | null): Field | null =>
  /^(INPUT|TEXTAREA|SELECT)$/.test((target as Element | null)?.tagName ?? "") ? (target as Field) : null

const formName = (form: HTMLFormElement | null): string =>
  (form && (form.getAttribute("data-yavio") || form.getAttribute("name") || form.id)) || "form"

const fieldName = (field: Field): string => field.name || field.id || field.type

/** Aliased: called a dozen times, and every byte of this entry counts (sdk.md §7.8). */
const now = Date.now
const elapsed = (since: number): number => now() - since

export const attach = (): (() => void) => {
  const off: Array<() => void> = []
  const on = (target: EventTarget, type: string, listener: (event: never) => void, capture = true): void => {
    const wrapped = (event: Event) => {
      try {
        listener(event as never)
      } catch {
        // Analytics never break the widget.
      }
    }
    target.addEventListener(type, wrapped, capture)
    off.push(() => target.removeEventListener(type, wrapped, capture))
  }
  const timer = setInterval(flush, 5e3)
  const flushAll = () => flush(true)
  off.push(() => clearInterval(timer))

  if (!rendered) {
    rendered = true
    const connection = (navigator as { connection?: { type?: string; effectiveType?: string } }).connection
    const kind = connection?.type || connection?.effectiveType
    emit(
      "widget_render",
      "render",
      {
        device_pixel_ratio: devicePixelRatio,
        device_touch: navigator.maxTouchPoints > 0 ? 1 : 0,
        // Absent where the Network Information API is (JSON drops `undefined`).
        connection_type: kind,
      },
      { language: navigator.language, timezone_offset: new Date().getTimezoneOffset() },
    )
    if (typeof PerformanceObserver === "function")
      try {
        const observer = new PerformanceObserver((list) => {
          const nav = list.getEntries()[0] as PerformanceNavigationTiming | undefined
          if (!nav) return
          observer.disconnect()
          const paint = performance.getEntriesByName("first-paint")[0]
          emit(
            "widget_performance",
            "load",
            { load_time_ms: Math.round(nav.loadEventEnd || nav.duration) },
            {
              first_paint_ms: paint ? Math.round(paint.startTime) : null,
              dom_content_loaded_ms: Math.round(nav.domContentLoadedEventEnd),
              transfer_bytes: performance
                .getEntriesByType("resource")
                .reduce((sum, r) => sum + (r as PerformanceResourceTiming).transferSize, nav.transferSize),
            },
          )
        })
        observer.observe({ type: "navigation", buffered: true })
      } catch {
        // No navigation timing here: no performance event.
      }
  }

  // Errors and unhandled rejections (bubble phase: resource load errors are not script errors).
  const failed = (name: string, message: unknown, stack: unknown, source: string) =>
    emit(
      "widget_error",
      name,
      undefined,
      { message: String(message), stack: String(stack ?? "").slice(0, 1024), source },
      true,
    )
  on(
    window,
    "error",
    (e: ErrorEvent) => failed("error", e.message, e.error?.stack, `${e.filename}:${e.lineno}`),
    false,
  )
  on(
    window,
    "unhandledrejection",
    (e: PromiseRejectionEvent) =>
      failed("unhandledrejection", e.reason?.message ?? e.reason, e.reason?.stack, "promise"),
    false,
  )

  // Visibility of the widget in the host page, as enter/leave pairs.
  if (typeof IntersectionObserver === "function") {
    let since = 0
    const observer = new IntersectionObserver(([entry]) => {
      if (!entry || entry.isIntersecting === !!since) return
      const percent = { percent_visible: Math.round(entry.intersectionRatio * 100) }
      if (since) emit("widget_visibility", "leave", { visible_duration_ms: elapsed(since) }, percent)
      else emit("widget_visibility", "enter", { visible_duration_ms: 0 }, percent)
      since = since ? 0 : now()
    })
    observer.observe(document.documentElement)
    off.push(() => observer.disconnect())
  }

  // Clicks, rage clicks (≥ 3 within 500 ms on one element) and link clicks.
  let clicks = 0
  let rageTarget: Element | null = null
  let rageTimes: number[] = []
  on(document, "click", (e: MouseEvent) => {
    const target = e.target
    if (!(target instanceof Element)) return
    const at = now()
    const name = nameOf(target)
    const link = target.closest<HTMLAnchorElement>("a[href]")
    const element = target.closest("[data-yavio]") ?? target
    emit(
      "widget_click",
      name,
      { click_count: ++clicks },
      {
        kind: link ? "link" : target.tagName.toLowerCase(),
        id: target.id,
        class: (target.getAttribute("class") ?? "").slice(0, 128),
        x: Math.round(e.clientX),
        y: Math.round(e.clientY),
      },
    )
    rageTimes = element === rageTarget ? rageTimes.filter((t) => at - t <= 500) : []
    rageTarget = element
    if (rageTimes.push(at) === 3)
      emit("widget_rage_click", name, undefined, { count: 3, span_ms: at - rageTimes[0]! })
    if (link) {
      const url = new URL(link.href, location.href)
      emit(
        "widget_link_click",
        link.getAttribute("data-yavio") ?? (scrub((link.textContent ?? "").trim().slice(0, 64)) as string),
        undefined,
        { domain: url.hostname, external: url.hostname !== location.hostname },
      )
    }
  })

  // Scroll depth, one trailing sample per 250 ms, coalesced per container until the flush.
  let scrollTimer: ReturnType<typeof setTimeout> | undefined
  let last = { top: 0, at: now() }
  on(document, "scroll", (e: Event) => {
    scrollTimer ??= setTimeout(() => {
      scrollTimer = undefined
      const el = e.target instanceof Element ? e.target : document.scrollingElement
      if (!el) return
      const name = e.target instanceof Element ? nameOf(el) : "document"
      const depth = Math.min(100, Math.round(((el.scrollTop + el.clientHeight) / el.scrollHeight) * 100))
      const at = now()
      const moved = el.scrollTop - last.top
      sampleScroll(name, depth, {
        direction: moved < 0 ? "up" : "down",
        velocity_px_s: Math.round((Math.abs(moved) / Math.max(1, at - last.at)) * 1e3),
      })
      last = { top: el.scrollTop, at }
    }, 250)
  })
  off.push(() => clearTimeout(scrollTimer))

  // Form fields (one event per visit, at blur: name and timing, never the value) and submits.
  let fieldSince = 0
  const firstFocus = new WeakMap<HTMLFormElement, number>()
  on(document, "focusin", (e: FocusEvent) => {
    const field = fieldOf(e.target)
    if (!field) return
    fieldSince = now()
    if (field.form && !firstFocus.has(field.form)) firstFocus.set(field.form, fieldSince)
  })
  on(document, "focusout", (e: FocusEvent) => {
    const field = fieldOf(e.target)
    if (!field || !fieldSince) return
    emit(
      "widget_form_field",
      formName(field.form),
      { field_name: fieldName(field) },
      { type: field.type, ms: elapsed(fieldSince), filled: field.value !== "" },
    )
    fieldSince = 0
  })
  const submitted = (form: HTMLFormElement, status: string, invalid: string[]) => {
    const first = firstFocus.get(form)
    emit(
      "widget_form_submit",
      formName(form),
      { status },
      { invalid_fields: invalid, ms: first ? elapsed(first) : null },
      true,
    )
  }
  // A blocked submit fires `invalid` on each bad field (no `submit`): one error event per form.
  const invalid = new Map<HTMLFormElement, string[]>()
  on(document, "invalid", (e: Event) => {
    const field = fieldOf(e.target)
    const form = field?.form
    if (!field || !form) return
    const names = invalid.get(form) ?? []
    if (!names.length) {
      invalid.set(form, names)
      setTimeout(() => {
        invalid.delete(form)
        submitted(form, "error", names)
      })
    }
    names.push(fieldName(field))
  })
  on(document, "submit", (e: SubmitEvent) => {
    if (e.target instanceof HTMLFormElement) submitted(e.target, "success", [])
  })

  // Navigation inside the widget: history API and back/forward.
  let view = location.pathname + location.hash
  let viewSince = now()
  const navigated = () => {
    const to = location.pathname + location.hash
    if (to === view) return
    emit("widget_navigation", to, { nav_from: view, nav_to: to }, { ms: elapsed(viewSince) })
    view = to
    viewSince = now()
  }
  // Hash changes fire `popstate` too.
  on(window, "popstate", navigated)
  const { pushState, replaceState } = history
  history.pushState = function (...args) {
    pushState.apply(this, args)
    navigated()
  }
  history.replaceState = function (...args) {
    replaceState.apply(this, args)
    navigated()
  }
  off.push(() => {
    history.pushState = pushState
    history.replaceState = replaceState
  })

  // The widget (its frame) gaining and losing focus.
  let focusCount = document.hasFocus() ? 1 : 0
  let focusSince = focusCount ? now() : 0
  on(
    window,
    "focus",
    () => {
      focusSince = now()
      emit("widget_focus", "focus", undefined, { focus_count: ++focusCount })
    },
    false,
  )
  on(
    window,
    "blur",
    () => {
      if (focusSince)
        emit("widget_focus", "blur", undefined, { ms: elapsed(focusSince), focus_count: focusCount })
      focusSince = 0
    },
    false,
  )

  // Teardown delivery: hidden tab, page close.
  const detach = () => {
    for (const remove of off.splice(0)) remove()
  }
  on(document, "visibilitychange", () => document.visibilityState === "hidden" && flushAll())
  on(window, "beforeunload", flushAll)
  on(window, "pagehide", () => {
    flushAll()
    detach()
  })
  return detach
}
