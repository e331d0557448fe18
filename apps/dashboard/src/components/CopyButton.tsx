import { toast } from "./Toasts"

/** Copies `text` and confirms with a toast ("API key copied", §4 step 3). */
export function CopyButton(props: {
  readonly text: string
  readonly label: string
  readonly toastText: string
}) {
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(props.text)
      toast(props.toastText)
    } catch {
      toast("Copy failed: select the text and copy it yourself.", "error")
    }
  }
  return (
    <button type="button" className="button secondary-button small" onClick={copy}>
      {props.label}
    </button>
  )
}
