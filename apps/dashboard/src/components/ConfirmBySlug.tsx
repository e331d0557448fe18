import { type FormEvent, useState } from "react"
import { ApiError } from "../lib/ApiError"
import { Dialog } from "./Dialog"
import { ErrorNote, Field } from "./Forms"

/** An irreversible delete (§2.6): typing the slug enables the button. */
export function ConfirmBySlug(props: {
  readonly open: boolean
  readonly title: string
  readonly slug: string
  readonly action: string
  readonly onClose: () => void
  readonly onConfirm: () => Promise<void>
}) {
  const [typed, setTyped] = useState("")
  const [error, setError] = useState<ApiError | undefined>()
  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault()
    setError(undefined)
    try {
      await props.onConfirm()
    } catch (failure) {
      setError(ApiError.from(failure))
    }
  }
  return (
    <Dialog
      open={props.open}
      title={props.title}
      onClose={() => {
        setTyped("")
        props.onClose()
      }}
    >
      <form className="stack" onSubmit={submit} noValidate>
        <p>
          This cannot be undone. Type <strong className="mono">{props.slug}</strong> to confirm.
        </p>
        <Field
          label="Slug"
          name="confirm"
          value={typed}
          onChange={(e) => setTyped(e.currentTarget.value)}
          required
        />
        <ErrorNote error={error} />
        <div className="actions">
          <button type="submit" className="button danger-button" disabled={typed !== props.slug}>
            {props.action}
          </button>
        </div>
      </form>
    </Dialog>
  )
}
