import { type ReactNode, useEffect, useRef } from "react"

/**
 * A modal dialog (§5.9, §5.10) on the native `<dialog>`: Escape closes it, focus moves to its
 * first control on open and back to whatever had it (the trigger) on close.
 */
export function Dialog(props: {
  readonly open: boolean
  readonly title: string
  readonly onClose: () => void
  readonly children: ReactNode
}) {
  const ref = useRef<HTMLDialogElement>(null)
  const opener = useRef<Element | null>(null)
  const { open, onClose } = props

  useEffect(() => {
    const dialog = ref.current
    if (dialog === null) return
    if (open && !dialog.open) {
      opener.current = document.activeElement
      dialog.showModal()
      const first = dialog.querySelector<HTMLElement>(
        "input:not([disabled]), select:not([disabled]), textarea, button:not([disabled]):not(.dialog-close)",
      )
      first?.focus()
    } else if (!open && dialog.open) {
      dialog.close()
    }
  }, [open])

  useEffect(() => {
    const dialog = ref.current
    if (dialog === null) return
    const closed = () => {
      onClose()
      const back = opener.current
      if (back instanceof HTMLElement && back.isConnected) back.focus()
    }
    dialog.addEventListener("close", closed)
    return () => dialog.removeEventListener("close", closed)
  }, [onClose])

  return (
    <dialog ref={ref} className="dialog" aria-labelledby="dialog-title">
      {open ? (
        <>
          <div className="dialog-header">
            <h2 id="dialog-title">{props.title}</h2>
            <button
              type="button"
              className="dialog-close"
              aria-label="Close"
              onClick={() => ref.current?.close()}
            >
              ×
            </button>
          </div>
          {props.children}
        </>
      ) : null}
    </dialog>
  )
}
