import { useEffect, useState } from "react"

/** §5.5 toasts: bottom right, gone after 4 s; announced politely to screen readers. */
interface Toast {
  readonly id: number
  readonly text: string
  readonly kind: "success" | "error" | "info"
}

let next = 0
let current: ReadonlyArray<Toast> = []
const listeners = new Set<(toasts: ReadonlyArray<Toast>) => void>()
const publish = (toasts: ReadonlyArray<Toast>) => {
  current = toasts
  for (const listener of listeners) listener(current)
}

export const toast = (text: string, kind: Toast["kind"] = "success"): void => {
  const id = ++next
  publish([...current, { id, text, kind }])
  setTimeout(() => publish(current.filter((t) => t.id !== id)), 4000)
}

export function Toaster() {
  const [toasts, setToasts] = useState(current)
  useEffect(() => {
    listeners.add(setToasts)
    return () => {
      listeners.delete(setToasts)
    }
  }, [])
  return (
    <div className="toasts" role="status" aria-live="polite">
      {toasts.map((t) => (
        <div key={t.id} className={`toast toast-${t.kind}`}>
          {t.kind === "success" ? (
            <span aria-hidden="true">✓ </span>
          ) : t.kind === "error" ? (
            <span aria-hidden="true">× </span>
          ) : null}
          {t.text}
        </div>
      ))}
    </div>
  )
}
