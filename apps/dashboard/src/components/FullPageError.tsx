import { Link } from "@tanstack/react-router"
import type { ApiError } from "../lib/ApiError"

/** §5.5 full-page error: centred text with the code, and a way home. */
export function FullPageError({ error }: { readonly error: ApiError }) {
  return (
    <main className="full-page-error">
      <div>
        <h1>{error.message}</h1>
        <p className="secondary">
          <span className="mono">{error.code}</span>
          {error.fix === undefined ? null : ` · ${error.fix}`}
        </p>
        <p>
          {error.signedOut ? <Link to="/login">Log in</Link> : <Link to="/">Back to your dashboard</Link>}
        </p>
      </div>
    </main>
  )
}
