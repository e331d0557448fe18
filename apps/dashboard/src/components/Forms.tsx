import type { InputHTMLAttributes, ReactNode } from "react"
import type { ApiError } from "../lib/ApiError"

/** §5.5 form field: label above, `*` when required, the input full width. */
export function Field(
  props: {
    readonly label: string
    readonly name: string
    readonly hint?: ReactNode
  } & InputHTMLAttributes<HTMLInputElement>,
) {
  const { label, name, hint, id, ...input } = props
  const inputId = id ?? `field-${name}`
  return (
    <div className="field">
      <label htmlFor={inputId}>
        {label}
        {input.required ? " *" : ""}
      </label>
      <input id={inputId} name={name} {...input} />
      {hint === undefined ? null : <div className="field-hint">{hint}</div>}
    </div>
  )
}

/** A refusal as the service gave it: the message, its fix and the YAVIO code. */
export function ErrorNote({ error }: { readonly error: ApiError | undefined }) {
  if (error === undefined) return null
  return (
    <p className="form-error" role="alert">
      {error.message}
      {error.fix === undefined ? null : ` ${error.fix}`} <span className="mono">({error.code})</span>
    </p>
  )
}

/** Reads a submitted form's fields as strings. */
export const formFields = (form: HTMLFormElement) => {
  const data = new FormData(form)
  return (name: string): string => String(data.get(name) ?? "")
}
